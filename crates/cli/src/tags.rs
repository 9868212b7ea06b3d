//! `--tags KEY=VALUE[,KEY=VALUE…]`: the option value of the commands that
//! tag what they create (`flows`, `channels`, `app-instances`), and its
//! conversion to each SDK's `Tag`.

use crate::failure::Failure;

/// Tags from one `--tags` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagList(pub Vec<(String, String)>);

/// Parses KEY=VALUE[,KEY=VALUE…].
pub fn parse_tags(text: &str) -> Result<TagList, String> {
    text.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(|part| match part.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => {
                Ok((key.trim().to_owned(), value.trim().to_owned()))
            }
            _ => Err(format!("expected KEY=VALUE, got {part:?}")),
        })
        .collect::<Result<Vec<_>, _>>()
        .and_then(|tags| {
            if tags.is_empty() {
                Err("expected KEY=VALUE[,KEY=VALUE…]".into())
            } else {
                Ok(TagList(tags))
            }
        })
}

/// The Chime SDK Messaging tags of `--tags` options, or none when there
/// are none.
pub fn messaging_tags(
    lists: &[TagList],
) -> Result<Option<Vec<aws_sdk_chimesdkmessaging::types::Tag>>, Failure> {
    each_tag(lists, |key, value| {
        aws_sdk_chimesdkmessaging::types::Tag::builder()
            .key(key)
            .value(value)
            .build()
            .map_err(|e| e.to_string())
    })
}

/// The Chime SDK Identity tags of `--tags` options, or none when there are
/// none.
pub fn identity_tags(
    lists: &[TagList],
) -> Result<Option<Vec<aws_sdk_chimesdkidentity::types::Tag>>, Failure> {
    each_tag(lists, |key, value| {
        aws_sdk_chimesdkidentity::types::Tag::builder()
            .key(key)
            .value(value)
            .build()
            .map_err(|e| e.to_string())
    })
}

/// Builds every tag of `lists` with `build`; none when there are none (the
/// APIs take an absent list, not an empty one).
fn each_tag<T>(
    lists: &[TagList],
    build: impl Fn(&str, &str) -> Result<T, String>,
) -> Result<Option<Vec<T>>, Failure> {
    if lists.is_empty() {
        return Ok(None);
    }
    lists
        .iter()
        .flat_map(|list| &list.0)
        .map(|(key, value)| {
            build(key, value).map_err(|e| Failure::Usage(format!("bad tag {key:?}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert_eq!(
            parse_tags("a=1, b=2").unwrap().0,
            vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        assert_eq!(
            parse_tags("a=").unwrap().0,
            vec![("a".into(), String::new())]
        );
        assert!(parse_tags("a").is_err());
        assert!(parse_tags("=1").is_err());
        assert!(parse_tags("").is_err());
    }

    #[test]
    fn no_tags_is_no_list() {
        assert!(messaging_tags(&[]).unwrap().is_none());
        let tags = identity_tags(&[parse_tags("a=1,b=2").unwrap()])
            .unwrap()
            .unwrap();
        assert_eq!(tags.len(), 2);
        assert_eq!((tags[1].key(), tags[1].value()), ("b", "2"));
    }
}
