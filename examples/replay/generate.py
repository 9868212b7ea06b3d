#!/usr/bin/env python3
"""Writes corpus.jsonl: 240 channel-flow events of ordinary team chat, with
personal data, swearing, links and a burst of repeats, for `chimeflow
replay` (see README.md). Deterministic: the same file every run."""

import json
import random

APP = "arn:aws:chime:us-east-1:111122223333:app-instance/00000000-0000-0000-0000-00000000c0de"
START_MS = 1_764_000_000_000
rng = random.Random(20261203)

CLEAN = [
    "morning all, standup in five minutes",
    "I pushed the fix for the login page, please review",
    "can we move the retro to Thursday?",
    "the build is green again, thanks everyone",
    "lunch at the usual place?",
    "who has the keys to the meeting room",
    "release notes are in the wiki",
    "I'll be out on Friday, back Monday",
    "the dashboard looks great",
    "let's ship it after the demo",
]
PII = [
    "mail me at ann.lee@example.org when it's done",
    "my number is 555-867-5309, call after 6",
    "card 4111 1111 1111 1111 exp 12/29 for the booking",
    "send it to jo@corp.example please",
]
PROFANE = [
    "this fucking build broke again",
    "what the sh*t happened to staging",
    "stop being such a d1ckhead about the review",
    "oh c r a p, I forgot the meeting",
]
LINKS = [
    "docs are at https://docs.example.com/start",
    "see https://bit.ly/3xYz for the video",
    "the ticket is on https://tracker.example.net/T-42",
]
USERS = ["ann", "bo", "cy", "di", "ed"]
CHANNELS = ["team", "random"]

events = []
for n in range(240):
    kind = rng.random()
    if kind < 0.62:
        content = rng.choice(CLEAN)
    elif kind < 0.75:
        content = rng.choice(PII)
    elif kind < 0.87:
        content = rng.choice(PROFANE)
    else:
        content = rng.choice(LINKS)
    sender = rng.choice(USERS)
    at = START_MS + n * 20_000
    # A burst: ed repeats himself six times within a minute.
    if 120 <= n < 126:
        sender, content, at = "ed", "did anyone see my message??", START_MS + 120 * 20_000 + (n - 120) * 5_000
    events.append({
        "EventType": "CHANNEL_MESSAGE_EVENT",
        "CallbackId": f"replay-corpus-callback-{n:010d}",
        "ChannelMessage": {
            "MessageId": f"corpus-{n:04d}",
            "ChannelArn": f"{APP}/channel/{rng.choice(CHANNELS)}",
            "Content": content,
            "Type": "STANDARD",
            "Persistence": "PERSISTENT",
            "CreatedTimestamp": str(at),
            "Sender": {"Arn": f"{APP}/user/{sender}", "Name": sender},
        },
    })

with open("corpus.jsonl", "w") as out:
    for event in events:
        out.write(json.dumps(event) + "\n")
