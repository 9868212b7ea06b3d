//! The top-level domains a bare domain (`example.com`, no scheme, no `www.`)
//! must end with: every two-letter country-code TLD in the IANA root zone,
//! and the generic TLDs people actually type. Compiled in; no network, no
//! public-suffix list. Any `xn--` (IDN) TLD is accepted too.

/// Two-letter ccTLDs delegated in the IANA root zone (ISO 3166-1 alpha-2
/// plus ac, eu, su, uk), sorted.
const CC: &[&str] = &[
    "ac", "ad", "ae", "af", "ag", "ai", "al", "am", "ao", "aq", "ar", "as", "at", "au", "aw", "ax",
    "az", "ba", "bb", "bd", "be", "bf", "bg", "bh", "bi", "bj", "bm", "bn", "bo", "br", "bs", "bt",
    "bv", "bw", "by", "bz", "ca", "cc", "cd", "cf", "cg", "ch", "ci", "ck", "cl", "cm", "cn", "co",
    "cr", "cu", "cv", "cw", "cx", "cy", "cz", "de", "dj", "dk", "dm", "do", "dz", "ec", "ee", "eg",
    "er", "es", "et", "eu", "fi", "fj", "fk", "fm", "fo", "fr", "ga", "gb", "gd", "ge", "gf", "gg",
    "gh", "gi", "gl", "gm", "gn", "gp", "gq", "gr", "gs", "gt", "gu", "gw", "gy", "hk", "hm", "hn",
    "hr", "ht", "hu", "id", "ie", "il", "im", "in", "io", "iq", "ir", "is", "it", "je", "jm", "jo",
    "jp", "ke", "kg", "kh", "ki", "km", "kn", "kp", "kr", "kw", "ky", "kz", "la", "lb", "lc", "li",
    "lk", "lr", "ls", "lt", "lu", "lv", "ly", "ma", "mc", "md", "me", "mg", "mh", "mk", "ml", "mm",
    "mn", "mo", "mp", "mq", "mr", "ms", "mt", "mu", "mv", "mw", "mx", "my", "mz", "na", "nc", "ne",
    "nf", "ng", "ni", "nl", "no", "np", "nr", "nu", "nz", "om", "pa", "pe", "pf", "pg", "ph", "pk",
    "pl", "pm", "pn", "pr", "ps", "pt", "pw", "py", "qa", "re", "ro", "rs", "ru", "rw", "sa", "sb",
    "sc", "sd", "se", "sg", "sh", "si", "sj", "sk", "sl", "sm", "sn", "so", "sr", "ss", "st", "su",
    "sv", "sx", "sy", "sz", "tc", "td", "tf", "tg", "th", "tj", "tk", "tl", "tm", "tn", "to", "tr",
    "tt", "tv", "tw", "tz", "ua", "ug", "uk", "us", "uy", "uz", "va", "vc", "ve", "vg", "vi", "vn",
    "vu", "wf", "ws", "ye", "yt", "za", "zm", "zw",
];

/// Generic TLDs: the original ones and the new ones common in chat and in
/// spam, sorted.
const GENERIC: &[&str] = &[
    "academy",
    "aero",
    "agency",
    "app",
    "art",
    "asia",
    "audio",
    "bank",
    "bar",
    "bet",
    "bid",
    "bike",
    "bio",
    "biz",
    "blog",
    "buzz",
    "cam",
    "casa",
    "cash",
    "casino",
    "cat",
    "center",
    "chat",
    "city",
    "click",
    "cloud",
    "club",
    "codes",
    "com",
    "community",
    "company",
    "coop",
    "dev",
    "digital",
    "download",
    "edu",
    "email",
    "energy",
    "events",
    "exchange",
    "expert",
    "faith",
    "fans",
    "finance",
    "fun",
    "game",
    "games",
    "gay",
    "gdn",
    "global",
    "gmbh",
    "gov",
    "group",
    "guide",
    "guru",
    "health",
    "host",
    "icu",
    "inc",
    "info",
    "ink",
    "int",
    "investments",
    "jobs",
    "kim",
    "lat",
    "life",
    "link",
    "live",
    "loan",
    "lol",
    "ltd",
    "market",
    "media",
    "men",
    "mil",
    "mobi",
    "moe",
    "money",
    "monster",
    "mov",
    "museum",
    "name",
    "net",
    "network",
    "news",
    "ninja",
    "nyc",
    "onion",
    "online",
    "org",
    "page",
    "party",
    "photo",
    "photos",
    "pics",
    "pink",
    "porn",
    "press",
    "pro",
    "pub",
    "quest",
    "review",
    "rocks",
    "sale",
    "sbs",
    "school",
    "science",
    "services",
    "sex",
    "shop",
    "site",
    "social",
    "software",
    "solutions",
    "space",
    "store",
    "stream",
    "studio",
    "support",
    "systems",
    "team",
    "tech",
    "tel",
    "tokyo",
    "tools",
    "top",
    "travel",
    "uno",
    "vip",
    "website",
    "wiki",
    "win",
    "world",
    "wtf",
    "xxx",
    "xyz",
    "zip",
];

/// TLDs that are also common file extensions (`readme.md`, `main.rs`,
/// `setup.py`, `photos.zip`): a bare two-label "domain" ending in one of them is taken
/// for a file name unless a path follows or a domain list names it.
const FILE_LIKE: &[&str] = &[
    "cc", "md", "mk", "ml", "mov", "pl", "pm", "ps", "py", "rs", "sh", "so", "tf", "zip",
];

/// Whether `tld` (any case) is a known top-level domain.
pub(super) fn is_tld(tld: &str) -> bool {
    if tld.len() > 4 && tld.as_bytes()[..4].eq_ignore_ascii_case(b"xn--") {
        return tld.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    }
    if !(2..=11).contains(&tld.len()) || !tld.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let mut lower = [0u8; 11];
    for (slot, b) in lower.iter_mut().zip(tld.bytes()) {
        *slot = b.to_ascii_lowercase();
    }
    let lower = std::str::from_utf8(&lower[..tld.len()]).unwrap_or("");
    let list = if lower.len() == 2 { CC } else { GENERIC };
    list.binary_search(&lower).is_ok()
}

/// Whether `tld` is also a common file extension.
pub(super) fn is_file_like(tld: &str) -> bool {
    FILE_LIKE.iter().any(|ext| ext.eq_ignore_ascii_case(tld))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_and_unique() {
        for list in [CC, GENERIC, FILE_LIKE] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{w:?}", w = list);
        }
        assert!(CC.iter().all(|t| t.len() == 2));
        assert!(
            FILE_LIKE
                .iter()
                .all(|t| CC.contains(t) || GENERIC.contains(t))
        );
        assert!(CC.len() > 240, "{}", CC.len());
    }

    #[test]
    fn table() {
        for (tld, known) in [
            ("com", true),
            ("COM", true),
            ("io", true),
            ("uk", true),
            ("xn--p1ai", true),
            ("png", false),
            ("txt", false),
            ("g", false),
            ("c0m", false),
            ("js", false),
            ("ørg", false),
        ] {
            assert_eq!(is_tld(tld), known, "{tld}");
        }
    }
}
