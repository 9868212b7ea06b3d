//! Arbitrary text as `chimeflow.toml`: parsing never panics; an error names
//! the file (and a line, when it has a place) and never quotes a word, pattern or
//! domain of a list (they may be confidential); a configuration
//! that builds processes a few messages within every invariant.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| chimeflow_fuzz::config_target(data));
