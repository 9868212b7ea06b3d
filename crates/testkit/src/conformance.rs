//! The checks every rule must pass.

use std::panic::{AssertUnwindSafe, catch_unwind};

use chimeflow_core::{Decision, OnError, Pipeline, Processor, Rule};

use crate::EventBuilder;

/// Inputs that break careless rules: empty, huge, invisible, every Unicode
/// plane, right-to-left, combining marks, emoji sequences, JSON, control
/// characters, long runs of separators and digits.
///
/// ```
/// use chimeflow_test::hostile_inputs;
///
/// let inputs = hostile_inputs();
/// assert!(inputs.iter().any(String::is_empty));
/// assert!(inputs.iter().any(|input| input.len() >= 4096));
/// ```
pub fn hostile_inputs() -> Vec<String> {
    let mut inputs = vec![
        String::new(),
        " ".into(),
        "a".repeat(4096),
        "\u{200B}".repeat(1365),
        "\u{FEFF}\u{200D}\u{200C}\u{00AD}\u{2060}".repeat(200),
        "مرحبا بالعالم שלום עולם".into(),
        "\u{202E}txt.exe\u{202C}".into(),
        "👩‍👩‍👧‍👦🏳️‍🌈👨🏽‍💻".repeat(60),
        "e\u{301}\u{302}\u{303}\u{304}".repeat(300),
        format!("a{}", "\u{301}".repeat(2000)),
        "{\"Messages\":[{\"Content\":\"hi\"}]}".into(),
        "\u{0}\u{1}\u{7}\u{1b}[31mred\u{1b}[0m\r\n\t".into(),
        "1".repeat(4096),
        "@".repeat(4096),
        "-. _*".repeat(800),
        "ＦＵＬＬＷＩＤＴＨ 𝐁𝐎𝐋𝐃 𝓈𝒸𝓇𝒾𝓅𝓉".into(),
        "Ꭺ𐐀𝐀🄰Ⓐ".repeat(100),
        "\u{FFFD}\u{FFFF}\u{10FFFF}".into(),
    ];
    // One character from every plane in use, and the edges of the BMP.
    let planes: String = [
        0x41, 0x7FF, 0xFFFD, 0x1F600, 0x20000, 0x30000, 0xE0001, 0xF0000, 0x10FFFD,
    ]
    .iter()
    .filter_map(|&c| char::from_u32(c))
    .collect();
    inputs.push(planes.repeat(100));
    inputs
}

/// Runs the conformance checks; returns every failure found.
///
/// ```
/// use chimeflow_core::{Findings, Message, Rule, Verdict};
/// use chimeflow_test::check_conformance;
///
/// /// Reports a span past the end of the text: a bug the check catches.
/// struct OffByOne;
/// impl Rule for OffByOne {
///     fn id(&self) -> &str { "off-by-one" }
///     fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
///         let len = message.content().len();
///         findings.report("x", 0..len + 1);
///         Verdict::Continue
///     }
/// }
///
/// let failures = check_conformance(Box::new(OffByOne)).unwrap_err();
/// assert!(!failures.is_empty());
/// ```
pub fn check_conformance(rule: Box<dyn Rule>) -> Result<(), Vec<String>> {
    let mut failures = Vec::new();
    let id = rule.id().to_owned();
    let kebab = !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !kebab {
        failures.push(format!("id {id:?} is not kebab-case"));
    }
    let pipeline = Pipeline::new(vec![rule]);
    let processor = Processor::new(pipeline, OnError::Deny);
    for (index, input) in hostile_inputs().into_iter().enumerate() {
        for event in [
            EventBuilder::new().content(input.clone()).build(),
            EventBuilder::new()
                .content(input.clone())
                .edit()
                .non_persistent()
                .build(),
        ] {
            let label = format!("hostile input #{index} ({} bytes)", input.len());
            let first = catch_unwind(AssertUnwindSafe(|| processor.process(&event)));
            let Ok(Ok(first)) = first else {
                failures.push(format!("{label}: processing failed"));
                continue;
            };
            if first.reason.as_ref().is_some_and(|r| r.reason == "error") {
                failures.push(format!("{label}: the rule panicked"));
                continue;
            }
            if let Err(violations) = first.callback.validate() {
                // Over-limit input may legitimately end in a limit deny.
                if first.decision != Decision::Deny {
                    failures.push(format!("{label}: callback breaks limits: {violations}"));
                }
            }
            for finding in &first.findings {
                let inside = finding.start <= finding.end
                    && finding.end <= input.len()
                    && input.is_char_boundary(finding.start)
                    && input.is_char_boundary(finding.end);
                if !inside {
                    failures.push(format!(
                        "{label}: finding span {:?} is not inside the text",
                        finding.span()
                    ));
                }
            }
            match processor.process(&event) {
                Ok(second) if second == first => {}
                _ => failures.push(format!("{label}: not deterministic")),
            }
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures)
    }
}

/// Panics with every conformance failure of `rule`.
pub fn assert_conformance(rule: Box<dyn Rule>) {
    let id = rule.id().to_owned();
    if let Err(failures) = check_conformance(rule) {
        panic!("{id} is not conformant:\n{}", failures.join("\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimeflow_core::{Findings, Message, Verdict};

    struct Fine;
    impl Rule for Fine {
        fn id(&self) -> &str {
            "fine-rule"
        }
        fn check(&self, _: &mut Message<'_>, _: &mut Findings) -> Verdict {
            Verdict::Continue
        }
    }

    /// Breaks every promise: bad id, panics, spans outside the text,
    /// nondeterminism, content past the limits.
    struct Broken(std::sync::atomic::AtomicU64);
    impl Rule for Broken {
        fn id(&self) -> &str {
            "Broken_Rule"
        }
        fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
            let n = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let len = message.content().len();
            if len > 3000 {
                panic!("boom");
            }
            findings.report(if n.is_multiple_of(2) { "even" } else { "odd" }, 0..len + 5);
            message.set_content("z".repeat(5000));
            Verdict::Continue
        }
    }

    #[test]
    fn a_fine_rule_conforms() {
        assert_eq!(check_conformance(Box::new(Fine)), Ok(()));
    }

    #[test]
    fn each_broken_promise_is_reported() {
        let failures = check_conformance(Box::new(Broken(Default::default())))
            .unwrap_err()
            .join("\n");
        for expected in [
            "kebab-case",
            "panicked",
            "not inside the text",
            "not deterministic",
        ] {
            assert!(
                failures.contains(expected),
                "missing {expected}: {failures}"
            );
        }
    }
}
