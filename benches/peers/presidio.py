#!/usr/bin/env python3
"""Microsoft Presidio (presidio-analyzer from PyPI) on the pii rule's bench
messages and evaluation set: throughput, precision and recall.

Offline and without a NER model: a no-op NLP engine (no spaCy model is
loaded or downloaded) and only Presidio's pattern recognizers for the
entities chimeflow's `pii` rule finds. Not part of CI. See README.md.

    python3 benches/peers/presidio.py [--eval PATH] [--messages PATH] [--seconds N]
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

# tldextract (used by the email recognizer) would try to fetch the public
# suffix list; use the snapshot it ships with instead.
import tldextract

tldextract.extract = tldextract.TLDExtract(suffix_list_urls=())
import presidio_analyzer.predefined_recognizers.generic.email_recognizer as _email  # noqa: E402

_email.tldextract = tldextract

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry  # noqa: E402
from presidio_analyzer.nlp_engine import NoOpNlpEngine  # noqa: E402
from presidio_analyzer.predefined_recognizers import (  # noqa: E402
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    MacAddressRecognizer,
    PhoneRecognizer,
    UsSsnRecognizer,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_EVAL = ROOT / "crates" / "rules" / "tests" / "data" / "pii.jsonl"

# Presidio's entity names -> Amazon Comprehend's (the eval file's `type`).
NAMES = {
    "CREDIT_CARD": "CREDIT_DEBIT_NUMBER",
    "US_SSN": "SSN",
    "IBAN_CODE": "INTERNATIONAL_BANK_ACCOUNT_NUMBER",
    "IP_ADDRESS": "IP_ADDRESS",
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "MAC_ADDRESS": "MAC_ADDRESS",
}


def analyzer():
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in (
        CreditCardRecognizer(),
        UsSsnRecognizer(),
        IbanRecognizer(),
        IpRecognizer(),
        EmailRecognizer(),
        PhoneRecognizer(),
        MacAddressRecognizer(),
    ):
        registry.add_recognizer(recognizer)
    engine = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])


def merged(results, threshold):
    """Non-overlapping spans (as Presidio's anonymizer merges them)."""
    spans = sorted((r.start, r.end, r.entity_type) for r in results if r.score >= threshold)
    out = []
    for start, end, ty in spans:
        if out and start < out[-1][1]:
            s, e, t = out[-1]
            out[-1] = (s, max(e, end), t)
        else:
            out.append((start, end, ty))
    return out


def redact(text, spans):
    for start, end, ty in reversed(spans):
        text = text[:start] + "<" + ty + ">" + text[end:]
    return text


def alnum(s):
    return "".join(c.lower() for c in s if c.isalnum())


def digits(s):
    return "".join(c for c in s if c.isdigit())


def survives(value, output):
    if value in output:
        return True
    va, vd = alnum(value), digits(value)
    return (len(va) >= 6 and va in alnum(output)) or (len(vd) >= 6 and vd in digits(output))


def evaluate(engine, path, threshold):
    kinds = {}
    total = dict(tp=0, fn=0, fp=0, tn=0)
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    started = time.perf_counter()
    for row in rows:
        text, value, label, kind = row["text"], row["value"], row["label"], row["kind"]
        spans = merged(engine.analyze(text=text, language="en"), threshold)
        out = redact(text, spans)
        t = kinds.setdefault(kind, dict(tp=0, fn=0, fp=0, tn=0))
        if label:
            at = text.index(value)
            before, after = text[:at], text[at + len(value):]
            key = "fn" if survives(value, out) else "tp"
            t[key] += 1
            total[key] += 1
            if not (out.startswith(before) and out.endswith(after)) or len(spans) > 1:
                t["fp"] += 1
                total["fp"] += 1
        elif out == text:
            t["tn"] += 1
            total["tn"] += 1
        else:
            t["fp"] += 1
            total["fp"] += 1
    elapsed = time.perf_counter() - started
    return rows, kinds, total, elapsed


def ratio(n, d):
    return n / d if d else 1.0


def print_eval(kinds, total, threshold):
    print(f"\nquality, score threshold {threshold}")
    print(f"{'kind':<18} {'TP':>4} {'FN':>4} {'FP':>4} {'TN':>4} {'precision':>9} {'recall':>7}")
    for kind, t in sorted(kinds.items()) + [("ALL", total)]:
        p = ratio(t["tp"], t["tp"] + t["fp"])
        r = ratio(t["tp"], t["tp"] + t["fn"])
        print(f"{kind:<18} {t['tp']:>4} {t['fn']:>4} {t['fp']:>4} {t['tn']:>4} {p:>9.3f} {r:>7.3f}")


def throughput(engine, messages, seconds):
    print(f"\nthroughput (analyze only, {seconds:.0f} s per message)")
    print(f"{'message':<10} {'bytes':>6} {'time/msg':>12} {'MiB/s':>8}")
    for name, text in messages.items():
        engine.analyze(text=text, language="en")  # warm up
        n, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            engine.analyze(text=text, language="en")
            n += 1
        per = (time.perf_counter() - started) / n
        size = len(text.encode())
        print(f"{name:<10} {size:>6} {per * 1e6:>10.1f} µs {size / per / 2**20:>8.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=os.environ.get("PII_EVAL", str(DEFAULT_EVAL)))
    parser.add_argument("--messages", default=str(HERE / "pii_messages.json"))
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    started = time.perf_counter()
    engine = analyzer()
    print(f"presidio-analyzer engine built in {(time.perf_counter() - started) * 1e3:.0f} ms")
    messages = json.load(open(args.messages, encoding="utf-8"))
    throughput(engine, messages, args.seconds)
    for threshold in (0.0, 0.5):
        rows, kinds, total, elapsed = evaluate(engine, args.eval, threshold)
        print_eval(kinds, total, threshold)
        print(f"eval set: {len(rows)} messages in {elapsed:.2f} s ({len(rows) / elapsed:.0f} messages/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
