//! The `links` rule: finds URLs and bare domains and strips, denies or tags
//! the ones its domain lists say to act on.
//!
//! `scan` finds links, `tld` holds the compiled-in top-level domains,
//! `punycode` encodes IDN labels so that both spellings of a domain compare
//! equal; this file holds the configuration and acts.

mod punycode;
mod scan;
mod tld;

use std::collections::HashMap;
use std::ops::Range;

use chimeflow_core::{Findings, Message, OptionError, Rule, RuleConfig, Verdict};
use serde::Deserialize;

macro_rules! doc_text {
    () => {
        r#"links: find URLs and bare domains; strip, deny or tag them by domain list.

What it does
  Finds links:
    URLs      http://, https:// and ftp:// (any case), with user, port,
              path, query and fragment
    www.      www.example.com/…
    bare      example.com, example.co.uk/path, example.io:8443 (with
              bare_domains = true): labels of letters, digits and hyphens
              (any script), ending in a known top-level domain: every
              two-letter country code in the IANA root zone, the common
              generic ones (com, org, net, io's cousins app, dev, xyz, …)
              and any xn-- TLD; the list is compiled in
  Sentence punctuation after a link is not part of it ("see
  https://x.com/a." and "(https://x.com)" end at the "a" and the "m");
  brackets the URL opened itself are kept. An email address is not a
  link: user@example.com does not link to example.com.
  Each link's domain (lower-cased, IDN labels Punycode-encoded, so
  bücher.de and xn--bcher-kva.de are one domain) is looked up in the
  lists; an entry matches the domain itself and all its subdomains, and
  the longest matching entry wins (allow example.com but deny
  evil.example.com works, and the other way round). Then:
    policy "deny-listed"        acts on links whose domain is denied
    policy "allow-listed-only"  acts on every link whose domain is not
                                allowed (an empty allow list: every link)
  Each link acted on is reported as a finding (category "URL", the span;
  never the link), then, by action:
    "strip"  the link becomes `replacement`
    "deny"   the message is denied, reason "link"
    "tag"    findings only (a later `tag` rule can summarise them)

Options
  policy        = "deny-listed"       or "allow-listed-only" (`mode` is
                                      the older name of this option)
  allow_domains = []                  domains (and their subdomains)
  deny_domains  = []                  domains (and their subdomains);
                                      needed with policy "deny-listed"
  action        = "strip"             "strip", "deny" or "tag"
  replacement   = "[link removed]"    what "strip" writes (1-100 bytes)
  bare_domains  = true                also find links without a scheme
                                      or www.
  A domain is written bare: "example.com" (a leading "*." or "." is
  dropped); one listed in both lists is an error.

Example
  [[rules]]
  type = "links"
  policy = "allow-listed-only"
  allow_domains = ["example.com", "aws.amazon.com"]
  deny_domains = ["evil.example.com"]
  action = "strip"

Limitations
  Bare domains are found by shape, so a missed space after a full stop
  ("it.is") reads as a domain; a Title-case ending ("end.Today") does
  not. A bare name.ext whose ending is also a common file extension
  (readme.md, main.rs, setup.py, photos.zip) is taken for a file name
  unless a path follows or a domain list names it. Domains spelled with
  fullwidth dots (example。com), with spaces or "[.]" are not found, and
  the full IDNA mapping (NFC, fullwidth letters) is not applied. Links
  with other schemes (mailto:, tel:, custom apps) are not found. Amazon
  Lex replies (ContentType application/amz-chime-lex-msgs) hold JSON and
  are skipped entirely.
"#
    };
}

/// Which links the rule acts on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinksMode {
    /// Links whose domain is in `deny_domains`.
    #[default]
    DenyListed,
    /// Links whose domain is not in `allow_domains`.
    AllowListedOnly,
}

/// What to do with a link acted on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinksAction {
    /// Replace it with the replacement.
    #[default]
    Strip,
    /// Deny the message.
    Deny,
    /// Report findings only.
    Tag,
}

/// The finding category.
pub const CATEGORY: &str = "URL";

#[doc = concat!("```text\n", doc_text!(), "```")]
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinksConfig {
    /// Which links to act on (`mode`, the older name, still works; the
    /// host reads `mode = "enforce" | "observe"` as every rule's mode).
    #[serde(alias = "mode")]
    pub policy: LinksMode,
    /// Allowed domains (and their subdomains).
    pub allow_domains: Vec<String>,
    /// Denied domains (and their subdomains).
    pub deny_domains: Vec<String>,
    /// What to do with them.
    pub action: LinksAction,
    /// What `strip` writes.
    pub replacement: String,
    /// Also find links without a scheme or `www.`.
    pub bare_domains: bool,
}

impl Default for LinksConfig {
    fn default() -> Self {
        Self {
            policy: LinksMode::DenyListed,
            allow_domains: Vec::new(),
            deny_domains: Vec::new(),
            action: LinksAction::Strip,
            replacement: "[link removed]".into(),
            bare_domains: true,
        }
    }
}

/// Which list a domain is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Listed {
    Allow,
    Deny,
}

impl RuleConfig for LinksConfig {
    const TYPE: &'static str = "links";
    const SUMMARY: &'static str =
        "Find URLs and bare domains; strip, deny or tag them by allow and deny domain lists.";
    const DOC: &'static str = doc_text!();

    fn build(self) -> Result<Box<dyn Rule>, OptionError> {
        if self.replacement.is_empty()
            || self.replacement.len() > 100
            || self.replacement.chars().any(char::is_control)
        {
            return Err(OptionError::new(
                "replacement",
                "must be 1-100 bytes without control characters",
            ));
        }
        if self.policy == LinksMode::DenyListed && self.deny_domains.is_empty() {
            return Err(OptionError::new(
                "deny_domains",
                "is empty, so policy \"deny-listed\" would act on nothing; list domains or use policy = \"allow-listed-only\"",
            ));
        }
        let mut lists: HashMap<String, Listed> = HashMap::new();
        for (name, entries, listed) in [
            ("allow_domains", &self.allow_domains, Listed::Allow),
            ("deny_domains", &self.deny_domains, Listed::Deny),
        ] {
            for (i, entry) in entries.iter().enumerate() {
                let key = format!("{name}[{i}]");
                let domain = list_entry(entry)
                    .map_err(|why| OptionError::new(&key, format!("{key} {why}")))?;
                if let Some(&other) = lists.get(&domain)
                    && other != listed
                {
                    return Err(OptionError::new(
                        &key,
                        format!("{key} ({domain}) is also in allow_domains"),
                    ));
                }
                lists.insert(domain, listed);
            }
        }
        Ok(Box::new(Links {
            lists,
            mode: self.policy,
            action: self.action,
            replacement: self.replacement,
            bare_domains: self.bare_domains,
        }))
    }
}

/// A list entry in normal form, or why it is not a domain.
fn list_entry(entry: &str) -> Result<String, &'static str> {
    let trimmed = entry.trim();
    let bare = trimmed
        .strip_prefix("*.")
        .or_else(|| trimmed.strip_prefix('.'))
        .unwrap_or(trimmed)
        .trim_end_matches('.');
    if bare.contains("://") || bare.contains(['/', '@', '?', '#']) {
        return Err("must be a domain (example.com), not a URL or an address");
    }
    let domain = normalize(bare);
    if domain.is_empty()
        || domain.split('.').any(str::is_empty)
        || domain
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ':')
    {
        return Err("must be a domain such as example.com");
    }
    Ok(domain)
}

/// A host in normal form: lower case, no trailing dot, non-ASCII labels
/// Punycode-encoded (`xn--…`).
fn normalize(host: &str) -> String {
    let lower = host.trim_end_matches('.').to_lowercase();
    if lower.is_ascii() {
        return lower;
    }
    lower
        .split('.')
        .map(|label| {
            if label.is_ascii() {
                label.to_owned()
            } else {
                punycode::encode(label).map_or_else(|| label.to_owned(), |p| format!("xn--{p}"))
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The built rule.
#[derive(Debug)]
pub struct Links {
    lists: HashMap<String, Listed>,
    mode: LinksMode,
    action: LinksAction,
    replacement: String,
    bare_domains: bool,
}

impl Links {
    /// The longest list entry that `domain` (normal form) is or is under.
    fn listed(&self, domain: &str) -> Option<Listed> {
        if self.lists.is_empty() {
            return None;
        }
        let mut rest = domain;
        loop {
            if let Some(&listed) = self.lists.get(rest) {
                return Some(listed);
            }
            rest = &rest[rest.find('.')? + 1..];
        }
    }
}

impl Rule for Links {
    fn id(&self) -> &str {
        LinksConfig::TYPE
    }

    fn check(&self, message: &mut Message<'_>, findings: &mut Findings) -> Verdict {
        if message.is_lex() {
            return Verdict::Continue;
        }
        let text = message.content();
        let found = scan::find(text, self.bare_domains);
        if found.is_empty() {
            return Verdict::Continue;
        }
        let acted: Vec<Range<usize>> = found
            .into_iter()
            .filter(|link| {
                let listed = self.listed(&normalize(&text[link.host.clone()]));
                match listed {
                    Some(Listed::Deny) => true,
                    Some(Listed::Allow) => false,
                    None if link.file_like => false,
                    None => self.mode == LinksMode::AllowListedOnly,
                }
            })
            .map(|link| link.span)
            .collect();
        if acted.is_empty() {
            return Verdict::Continue;
        }
        for span in &acted {
            findings.report(CATEGORY, span.clone());
        }
        match self.action {
            LinksAction::Deny => Verdict::deny("link"),
            LinksAction::Tag => Verdict::Continue,
            LinksAction::Strip => {
                message.replace_content(acted.into_iter().map(|s| (s, &self.replacement)));
                Verdict::Continue
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chimeflow_test::{EventBuilder, Expect, assert_table, run_rule, run_rule_on};

    fn rule(edit: impl FnOnce(&mut LinksConfig)) -> Box<dyn Rule> {
        let mut config = LinksConfig::default();
        edit(&mut config);
        config.build().unwrap()
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn allow_listed_only_table() {
        let rule = rule(|c| {
            c.policy = LinksMode::AllowListedOnly;
            c.allow_domains = strings(&["example.com", "bücher.de"]);
            c.deny_domains = strings(&["evil.example.com"]);
        });
        assert_table(
            rule.as_ref(),
            &[
                ("see https://docs.example.com/x", Expect::Pass),
                ("see EXAMPLE.COM/a", Expect::Pass),
                (
                    "see https://evil.example.com/x.",
                    Expect::Becomes("see [link removed]."),
                ),
                (
                    "(https://notexample.com)",
                    Expect::Becomes("([link removed])"),
                ),
                ("try spam.io!", Expect::Becomes("try [link removed]!")),
                ("www.other.org, ok", Expect::Becomes("[link removed], ok")),
                ("xn--bcher-kva.de/buch", Expect::Pass),
                ("mail me at user@spam.io", Expect::Pass),
                ("read readme.md and main.rs", Expect::Pass),
                ("run docs.rs/serde", Expect::Becomes("run [link removed]")),
                ("v1.2.3 at 10.30 e.g. this", Expect::Pass),
                ("", Expect::Pass),
            ],
        );
    }

    #[test]
    fn deny_listed_table() {
        let rule = rule(|c| {
            c.deny_domains = strings(&["*.bad.net", "spam.io", "readme.md"]);
            c.allow_domains = strings(&["ok.spam.io"]);
            c.action = LinksAction::Deny;
        });
        assert_table(
            rule.as_ref(),
            &[
                ("https://x.bad.net/p", Expect::Deny("link")),
                ("see bad.net", Expect::Deny("link")),
                ("http://SPAM.IO", Expect::Deny("link")),
                ("https://ok.spam.io/a", Expect::Pass),
                ("notspam.io", Expect::Pass),
                ("https://good.example.com", Expect::Pass),
                // A listed name is a link even when it looks like a file.
                ("open readme.md", Expect::Deny("link")),
            ],
        );
    }

    #[test]
    fn findings_point_at_links_before_stripping() {
        let rule = rule(|c| c.policy = LinksMode::AllowListedOnly);
        let text = "a https://x.com/p. b www.y.org";
        let run = run_rule(rule.as_ref(), text);
        assert_eq!(run.content, "a [link removed]. b [link removed]");
        let found: Vec<(&str, &str)> = run
            .findings
            .iter()
            .map(|(c, s)| (c.as_str(), &text[s.clone()]))
            .collect();
        assert_eq!(found, [("URL", "https://x.com/p"), ("URL", "www.y.org")]);
    }

    #[test]
    fn tag_and_bare_domains_off() {
        let tag = rule(|c| {
            c.policy = LinksMode::AllowListedOnly;
            c.action = LinksAction::Tag;
            c.bare_domains = false;
        });
        assert_table(
            tag.as_ref(),
            &[
                ("x.com and https://y.com", Expect::Found(&["URL"])),
                ("only example.com", Expect::Pass),
            ],
        );
    }

    #[test]
    fn lex_replies_are_skipped() {
        let rule = rule(|c| c.policy = LinksMode::AllowListedOnly);
        let event = EventBuilder::new()
            .lex_reply("see https://example.com")
            .build();
        let run = run_rule_on(rule.as_ref(), &event);
        assert_eq!(run.verdict, Verdict::Continue);
        assert!(run.findings.is_empty() && !run.changed);
    }

    #[test]
    fn domains_are_normalised() {
        assert_eq!(normalize("Bücher.DE."), "xn--bcher-kva.de");
        assert_eq!(normalize("WWW.Example.com"), "www.example.com");
        assert_eq!(list_entry(" *.Example.com ").unwrap(), "example.com");
        assert!(list_entry("https://example.com").is_err());
        assert!(list_entry("a..b").is_err());
    }

    #[test]
    fn bad_options_fail_at_build() {
        let err = |edit: fn(&mut LinksConfig)| {
            let mut config = LinksConfig::default();
            edit(&mut config);
            config.build().err().unwrap()
        };
        assert_eq!(err(|_| {}).key.as_deref(), Some("deny_domains"));
        let url = err(|c| c.deny_domains = vec!["x.com".into(), "https://y.com/".into()]);
        assert_eq!(url.key.as_deref(), Some("deny_domains[1]"));
        let both = err(|c| {
            c.allow_domains = vec!["x.com".into()];
            c.deny_domains = vec!["X.com".into()];
        });
        assert_eq!(both.key.as_deref(), Some("deny_domains[0]"));
        let empty = err(|c| {
            c.policy = LinksMode::AllowListedOnly;
            c.replacement = String::new();
        });
        assert_eq!(empty.key.as_deref(), Some("replacement"));
    }

    #[test]
    fn config_parses_from_toml() {
        let config: LinksConfig = toml::from_str(
            "mode = \"allow-listed-only\"\nallow_domains = [\"a.com\"]\naction = \"tag\"\nbare_domains = false\n",
        )
        .unwrap();
        assert_eq!(config.policy, LinksMode::AllowListedOnly);
        assert_eq!(config.action, LinksAction::Tag);
        assert!(toml::from_str::<LinksConfig>("mode = \"allow-listed\"").is_err());
        assert!(toml::from_str::<LinksConfig>("domains = []").is_err());
    }
}
