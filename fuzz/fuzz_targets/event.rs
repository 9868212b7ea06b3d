//! Arbitrary bytes as an invocation event: parsing never panics; an error
//! never quotes a value; an event that parses serialises to JSON that parses
//! back to the same event, and serialises again to the same bytes; and the
//! default processor handles it within every invariant.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| chimeflow_fuzz::event_target(data));
