//! Every built-in rule, built from the example in its own documentation,
//! passes the chimeflow-test conformance checks; the examples themselves
//! are valid configuration.

use chimeflow_host::{Config, ConfigSource};

/// The indented block under "Example" in a rule's doc text.
fn example(doc: &str) -> String {
    let after = doc.split_once("\nExample\n").expect("an Example section").1;
    let block = after.split("\nLimitations").next().unwrap();
    block
        .lines()
        .map(|line| line.strip_prefix("  ").unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_documented_example_builds_and_conforms() {
    let registry = chimeflow_rules::registry();
    for entry in registry.entries() {
        let source = ConfigSource {
            name: format!("example of {}", entry.type_name),
            text: example(entry.doc),
        };
        let config = Config::parse(&source, &registry).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            config.rule_ids(),
            [entry.type_name],
            "the example configures its own rule"
        );
        let processor = config.into_processor();
        let mut rules = processor.into_rules();
        assert_eq!(rules.len(), 1);
        chimeflow_test::assert_conformance(rules.remove(0));
    }
}
