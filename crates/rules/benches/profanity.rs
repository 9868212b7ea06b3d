//! Criterion benchmarks of the `profanity` rule against rustrict, on the same
//! chat messages: ~200 B and 4 KB, clean and with a few (disguised) swear
//! words; plus the rule's build time (cold start). `chimeflow-auto` is the
//! rule with `languages = "auto"` (every embedded list, a local language
//! identifier for words that are ordinary in another language), beside the
//! English-only default: the goal is at most 2x its time on 4 KB.
//!
//! `cargo bench -p chimeflow-rules --bench profanity`

#![allow(missing_docs)]

use std::hint::black_box;

use chimeflow_core::{ChannelMessage, Findings, Message, Rule, RuleConfig};
use chimeflow_rules::profanity::{Languages, ProfanityConfig};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rustrict::{Censor, Type};

const CLEAN: &[&str] = &[
    "I pushed the fix for the login page, please review when you get a chance.",
    "The new dashboard looks great, thanks Rachel! Can we move the standup to 10:30?",
    "Reminder: retro starts in 10 minutes; who has the keys to the meeting room?",
    "We shipped version 9.8.4 this morning, the class assessment passed in Essex.",
    "Sorry, running five minutes late, the cocktail party at Scunthorpe ran over.",
];

const DIRTY: &[&str] = &[
    "this fucking build broke again, what the sh*t is going on?",
    "he is such a w4nker, the d-i-c-k-h-e-a-d merged without review",
    "oh ｃｕｎｔ, I forgot the meeting, total bullshiiiit",
];

/// Sentences joined until the message has about `size` bytes; every
/// `dirty_every`-th sentence is a dirty one (0: none).
fn message(size: usize, dirty_every: usize) -> String {
    let mut text = String::new();
    let mut clean = CLEAN.iter().cycle();
    let mut dirty = DIRTY.iter().cycle();
    let mut n = 0;
    loop {
        n += 1;
        let next = if dirty_every > 0 && n % dirty_every == 0 {
            dirty.next()
        } else {
            clean.next()
        };
        let next = next.copied().unwrap_or("");
        if !text.is_empty() && text.len() + 1 + next.len() > size {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(next);
    }
    text
}

/// Chat in other languages: Spanish, German, French, Portuguese, Turkish.
const FOREIGN_CLEAN: &[&str] = &[
    "Mañana subo los cambios del formulario, revisadlo cuando podáis por favor.",
    "Ich habe den Fehler im Anmeldeformular behoben, bitte schaut es euch an.",
    "La réunion de demain est déplacée à dix heures, merci de confirmer votre présence.",
    "O computador novo chegou hoje, alguém pode ajudar a configurar a rede?",
    "Yarın sabah toplantı var mı, yoksa öğleden sonraya mı ertelendi?",
];

const FOREIGN_DIRTY: &[&str] = &[
    "joder, este puto build se ha roto otra vez, qué mierda",
    "so eine Scheiße, der Build ist schon wieder kaputt, dieses Arschloch",
    "putain, le build est encore cassé, quel connard a poussé ça",
];

/// Like [`message`], over other sentences.
fn foreign(size: usize, dirty_every: usize) -> String {
    let mut text = String::new();
    let (mut clean, mut dirty) = (FOREIGN_CLEAN.iter().cycle(), FOREIGN_DIRTY.iter().cycle());
    for n in 1.. {
        let next = if dirty_every > 0 && n % dirty_every == 0 {
            dirty.next()
        } else {
            clean.next()
        };
        let next = next.copied().unwrap_or("");
        if !text.is_empty() && text.len() + 1 + next.len() > size {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(next);
    }
    text
}

/// The rule with one list against `auto` on messages in other languages.
fn languages(c: &mut Criterion) {
    let english = ProfanityConfig::default().build().unwrap();
    let auto_rule = auto().build().unwrap();
    for (name, text) in [
        ("4KB-foreign-clean", foreign(4096, 0)),
        ("4KB-foreign-dirty", foreign(4096, 3)),
    ] {
        let mut group = c.benchmark_group(format!("profanity/{name}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        let received = ChannelMessage {
            message_id: "m".into(),
            content: Some(text.clone()),
            ..Default::default()
        };
        group.bench_function("chimeflow", |b| {
            b.iter(|| run_rule(english.as_ref(), black_box(&received)))
        });
        group.bench_function("chimeflow-auto", |b| {
            b.iter(|| run_rule(auto_rule.as_ref(), black_box(&received)))
        });
        group.finish();
    }
}

fn run_rule(rule: &dyn Rule, received: &ChannelMessage) -> usize {
    let mut message = Message::new(received);
    let mut findings = Findings::new();
    rule.check(&mut message, &mut findings);
    findings.len() + message.content().len()
}

/// The rule with every embedded list.
fn auto() -> ProfanityConfig {
    ProfanityConfig {
        languages: Languages::Word("auto".into()),
        ..Default::default()
    }
}

fn throughput(c: &mut Criterion) {
    let rule = ProfanityConfig::default().build().unwrap();
    let auto_rule = auto().build().unwrap();
    let cases = [
        ("200B-clean", message(200, 0)),
        ("200B-dirty", message(200, 2)),
        ("4KB-clean", message(4096, 0)),
        ("4KB-dirty", message(4096, 4)),
    ];
    for (name, text) in &cases {
        let mut group = c.benchmark_group(format!("profanity/{name}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        let received = ChannelMessage {
            message_id: "m".into(),
            content: Some(text.clone()),
            ..Default::default()
        };
        group.bench_function("chimeflow", |b| {
            b.iter(|| run_rule(rule.as_ref(), black_box(&received)))
        });
        group.bench_function("chimeflow-auto", |b| {
            b.iter(|| run_rule(auto_rule.as_ref(), black_box(&received)))
        });
        group.bench_function("rustrict-censor", |b| {
            b.iter(|| {
                let (censored, kind) = Censor::from_str(black_box(text)).censor_and_analyze();
                censored.len() + usize::from(kind.is(Type::INAPPROPRIATE))
            })
        });
        group.bench_function("rustrict-analyze", |b| {
            b.iter(|| {
                Censor::from_str(black_box(text))
                    .analyze()
                    .is(Type::INAPPROPRIATE)
            })
        });
        group.finish();
    }
}

fn build(c: &mut Criterion) {
    c.bench_function("profanity/build", |b| {
        b.iter(|| {
            ProfanityConfig::default()
                .build()
                .map(|rule| rule.id().len())
                .unwrap_or(0)
        })
    });
    c.bench_function("profanity/build-auto", |b| {
        b.iter(|| auto().build().map(|rule| rule.id().len()).unwrap_or(0))
    });
}

criterion_group!(benches, throughput, languages, build);
criterion_main!(benches);
