#!/usr/bin/env python3
"""Writes the adversarial corpus beside this script: one invocation event
(or something that claims to be one) per file. Run it again after editing;
the files are committed so that tests never depend on Python.

tests/tests/adversarial.rs runs every file through ProcessorEvent::from_slice
and the processors, and compares the decision with EXPECTED."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
ARN = "arn:aws:chime:us-east-1:111122223333:app-instance/00000000-0000-4000-8000-000000000000/channel/adversarial"
CB = "0123456789abcdef0123456789abcdef"

def event(content=None, **message):
    msg = {"MessageId": "adv-1", "ChannelArn": ARN, "Type": "STANDARD", "Persistence": "PERSISTENT"}
    if content is not None:
        msg["Content"] = content
    msg.update(message)
    return {"EventType": "CHANNEL_MESSAGE_EVENT", "CallbackId": CB, "ChannelMessage": msg}

files = {}
def put(name, value, raw=False, ascii=False):
    data = value if raw else json.dumps(value, ensure_ascii=ascii).encode()
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    files[name] = data

# --- hostile Unicode -------------------------------------------------------
put("unicode-bidi-override.json", event("pay \u202eredro\u202c to evil@example.com \u2066x\u2069"))
put("unicode-bidi-everything.json", event("".join(chr(c) for c in [0x200e,0x200f,0x202a,0x202b,0x202c,0x202d,0x202e,0x2066,0x2067,0x2068,0x2069,0x61c]) * 40))
put("unicode-zero-width-joiners.json", event("f\u200du\u200dc\u200dk s\u200bh\u200ci\u2060t " + "\u200d" * 1000))
put("unicode-zero-width-only.json", event("\u200b\u200c\u200d\u2060\ufeff" * 100))
put("unicode-combining-1000.json", event("a" + "\u0301" * 1000 + " b" + "\u0336" * 1000))
put("unicode-combining-over-limit.json", event("z" + "\u0300" * 3000))
put("unicode-emoji-zwj.json", event("\U0001F469\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466 \U0001F3F3\ufe0f\u200d\U0001F308 " * 40))
put("unicode-noncharacters.json", event("\ufdd0\ufdef\ufffe\uffff\U0001fffe\U0010ffff end"))
put("unicode-private-use-and-tags.json", event("\ue000\U000f0000\U000e0041\U000e0042\U000e007f tag chars"))
put("unicode-fullwidth-evasion.json", event("ｆｕｃｋ ｓｈｉｔ ４１１１ １１１１ １１１１ １１１１ ｍａｉｌ＠ｅｘａｍｐｌｅ．ｃｏｍ"))
put("unicode-homoglyph-evasion.json", event("fսck ѕhіt аss Ꭺ𝐬𝐬 ⓢⓗⓘⓣ 𝓯𝓾𝓬𝓴 mail@exаmple.com"))
put("unicode-math-alphanumerics.json", event("𝐟𝐮𝐜𝐤 𝖘𝖍𝖎𝖙 𝟒𝟏𝟏𝟏 𝟏𝟏𝟏𝟏 𝟏𝟏𝟏𝟏 𝟏𝟏𝟏𝟏"))
put("unicode-rtl-pii.json", event("مرحبا، بريدي هو ali@example.com ورقمي +966 50 123 4567 שלום"))
put("unicode-spaced-letters.json", event("f u c k   s.h.i.t   f-u-c-k   f_u_c_k"))
put("unicode-control-chars.json", event("\u0000\u0001\u0007\u001b[31mred\u001b[0m\r\n\t\u0085\u2028\u2029 end"))
put("unicode-escaped-everything.json", event("snowman \u2603 and \U0001F600 via escapes"), ascii=True)
put("json-lone-surrogate-escape.json", b'{"CallbackId":"' + CB.encode() + b'","ChannelMessage":{"MessageId":"adv-1","Content":"bad \\ud800 half"}}', raw=True)
put("json-lone-low-surrogate-escape.json", b'{"CallbackId":"' + CB.encode() + b'","ChannelMessage":{"MessageId":"adv-1","Content":"\\udc00"}}', raw=True)
put("json-surrogate-pair-escape.json", b'{"CallbackId":"' + CB.encode() + b'","ChannelMessage":{"MessageId":"adv-1","Content":"ok \\ud83d\\ude00"}}', raw=True)
put("json-invalid-utf8.json", b'{"CallbackId":"' + CB.encode() + b'","ChannelMessage":{"MessageId":"adv-1","Content":"\xff\xfe\xc3("}}', raw=True)
put("json-overlong-utf8.json", b'{"CallbackId":"' + CB.encode() + b'","ChannelMessage":{"MessageId":"adv-1","Content":"\xc0\xaf"}}', raw=True)

# --- sizes -----------------------------------------------------------------
put("size-content-4096-bytes.json", event("a" * 4096))
put("size-content-4097-bytes.json", event("a" * 4097))
put("size-content-4096-bytes-multibyte.json", event("€" * 1365 + "a"))
put("size-content-4098-bytes-multibyte.json", event("€" * 1366))
put("size-content-4096-pii-grows.json", event(("a@b.co " * 586)[:4096]))
put("size-content-4000-chars-emoji.json", event("😀" * 1024))
put("size-metadata-1024.json", event("hi", Metadata="m" * 1024))
put("size-metadata-1025.json", event("hi", Metadata="m" * 1025))
put("size-metadata-1024-astral.json", event("hi", Metadata="😀" * 512))
put("size-metadata-513-astral.json", event("hi", Metadata="😀" * 513))
put("size-50-attributes.json", event("hi", MessageAttributes={f"k{i:02}": {"StringValues": ["v" * 10]} for i in range(50)}))
put("size-attributes-over-1kb.json", event("hi", MessageAttributes={"big": {"StringValues": ["v" * 512, "w" * 512, "x"]}}))
put("size-attribute-empty-value.json", event("hi", MessageAttributes={"k": {"StringValues": [""]}}))
put("size-content-type-46.json", event("hi", ContentType="t" * 46))
put("size-callback-id-31.json", dict(event("hi"), CallbackId="c" * 31))
put("size-callback-id-65.json", dict(event("hi"), CallbackId="c" * 65))
put("size-callback-id-astral.json", dict(event("hi"), CallbackId="😀" * 16))
put("size-message-id-129.json", event("hi", MessageId="m" * 129))
put("size-sub-channel-empty.json", event("hi", SubChannelId=""))
put("size-sub-channel-bad.json", event("hi", SubChannelId="sub channel"))
put("size-many-lines.json", event("\n".join(["x"] * 2000)))
put("size-long-line-of-digits.json", event("4" * 4096))
put("size-pii-dense.json", event(" ".join(f"u{i}@x.io 10.0.{i % 255}.1 4111111111111111" for i in range(100))[:4096]))
nested = {"leaf": 1}
for _ in range(100):
    nested = {"n": nested}
put("nested-unknown-100.json", dict(event("hi"), Unknown=nested))
deep = "[" * 200 + "]" * 200
put("nested-unknown-200-arrays.json", ('{"CallbackId":"%s","X":%s,"ChannelMessage":{"MessageId":"adv-1","Content":"hi"}}' % (CB, deep)).encode(), raw=True)

# --- JSON edge cases -------------------------------------------------------
put("json-duplicate-content.json", ('{"CallbackId":"%s","ChannelMessage":{"MessageId":"adv-1","Content":"first","Content":"second"}}' % CB).encode(), raw=True)
put("json-duplicate-callback-id.json", ('{"CallbackId":"%s","CallbackId":"%s","ChannelMessage":{"MessageId":"adv-1"}}' % (CB, CB)).encode(), raw=True)
put("json-duplicate-unknown.json", ('{"CallbackId":"%s","Z":1,"Z":2,"ChannelMessage":{"MessageId":"adv-1"}}' % CB).encode(), raw=True)
put("json-bom.json", b"\xef\xbb\xbf" + json.dumps(event("hi")).encode(), raw=True)
put("json-number-as-content.json", event(12345))
put("json-number-as-message-id.json", event("hi", MessageId=7))
put("json-array-as-content.json", event(["a", "b"]))
put("json-null-content.json", event(None, Content=None))
put("json-null-message-id.json", event("hi", MessageId=None))
put("json-null-everything.json", {"EventType": None, "CallbackId": CB, "ChannelMessage": {"MessageId": "adv-1", "ChannelArn": None, "Content": None, "Metadata": None, "Sender": None, "Persistence": None, "Type": None, "MessageAttributes": None, "SubChannelId": None, "ContentType": None, "Target": None}})
put("json-trailing-garbage.json", json.dumps(event("hi")).encode() + b" trailing", raw=True)
put("json-two-objects.json", json.dumps(event("hi")).encode() + json.dumps(event("hi")).encode(), raw=True)
put("json-empty-object.json", {})
put("json-empty-input.json", b"", raw=True)
put("json-whitespace-only.json", b" \n\t ", raw=True)
put("json-array.json", [event("hi")])
put("json-string.json", "a very secret message that must not be echoed")
put("json-number.json", 1e308)
put("json-null.json", None)
put("json-huge-number-timestamp.json", ('{"CallbackId":"%s","ChannelMessage":{"MessageId":"adv-1","Content":"hi","CreatedTimestamp":1%s}}' % (CB, "0" * 400)).encode(), raw=True)
put("json-negative-zero-timestamp.json", event("hi", CreatedTimestamp=-0.0, LastEditedTimestamp=1.5e-300))
put("json-unknown-enums.json", {"EventType": "SOMETHING_NEW", "CallbackId": CB, "ChannelMessage": {"MessageId": "adv-1", "ChannelArn": ARN, "Content": "hi", "Type": "HOLOGRAM", "Persistence": "FOREVER"}})
put("json-lowercase-keys.json", {"callbackId": CB, "channelMessage": {"messageId": "adv-1", "content": "hi"}})
put("json-missing-channel-message.json", {"CallbackId": CB})
put("json-missing-callback-id.json", {"ChannelMessage": {"MessageId": "adv-1", "Content": "hi"}})
put("json-missing-arn.json", {"CallbackId": CB, "ChannelMessage": {"MessageId": "adv-1", "Content": "mail a@example.com"}})
put("json-bad-arn.json", event("hi", ChannelArn="arn:aws:chime:us-east-1:1:/channel/x"))
put("json-empty-content.json", event(""))
put("json-attribute-values-not-list.json", event("hi", MessageAttributes={"k": {"StringValues": "v"}}))
put("json-attribute-extra-fields.json", event("hi", MessageAttributes={"k": {"StringValues": ["v"], "Other": 1}}))
put("json-sender-as-string.json", event("hi", Sender="someone"))
put("json-target-two-members.json", event("hi", Target=[{"MemberArn": ARN}, {"MemberArn": ARN}]))
put("json-lex-content-not-json.json", event("{not json at all", ContentType="application/amz-chime-lex-msgs"))
put("json-lex-content-deep.json", event(json.dumps({"Messages": [{"Content": "mail a@example.com", "ContentType": "PlainText"}] * 20, "X": nested}), ContentType="application/amz-chime-lex-msgs"))
put("json-metadata-is-json-with-moderation.json", event("mail a@example.com", Metadata=json.dumps({"moderation": "spoofed", "x": [1, 2]})))
put("json-metadata-not-object.json", event("mail a@example.com", Metadata="[1,2,3]"))
put("json-escaped-keys.json", b'{"\\u0043allbackId":"' + CB.encode() + b'","ChannelMessage":{"MessageId":"adv-1","Content":"hi"}}', raw=True)
put("json-nul-in-strings.json", event("a\u0000b", Metadata="\u0000"))

for name in os.listdir(HERE):
    if name.endswith(".json"):
        os.remove(os.path.join(HERE, name))
for name, data in files.items():
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
print(len(files), "files")
