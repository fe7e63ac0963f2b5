//! Bytes in JSON (`analyses.json`): a string when they are UTF-8, so the file
//! reads as the rules do, else a list of numbers. For `#[serde(with = ...)]`.

/// One byte string.
pub(crate) mod byte_string {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        Text(String),
        Numbers(Vec<u8>),
    }

    pub fn serialize<S: Serializer>(bytes: &[u8], to: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) => to.serialize_str(text),
            Err(_) => bytes.serialize(to),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Vec<u8>, D::Error> {
        Ok(match Form::deserialize(from)? {
            Form::Text(text) => text.into_bytes(),
            Form::Numbers(bytes) => bytes,
        })
    }
}

/// A list of `byte_string`s.
pub(crate) mod byte_strings {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Item(#[serde(with = "super::byte_string")] Vec<u8>);

    struct Ref<'a>(&'a [u8]);

    impl Serialize for Ref<'_> {
        fn serialize<S: Serializer>(&self, to: S) -> Result<S::Ok, S::Error> {
            super::byte_string::serialize(self.0, to)
        }
    }

    pub fn serialize<S: Serializer>(list: &[Vec<u8>], to: S) -> Result<S::Ok, S::Error> {
        to.collect_seq(list.iter().map(|bytes| Ref(bytes)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Vec<Vec<u8>>, D::Error> {
        let items = Vec::<Item>::deserialize(from)?;
        Ok(items.into_iter().map(|Item(bytes)| bytes).collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::prefilter::Required;

    #[test]
    fn bytes_read_back_as_written() {
        let required = Required {
            literals: vec![b"getty".to_vec(), "é".into(), vec![0xff, b'a'], Vec::new()],
            starts: true,
        };
        let json = serde_json::to_string(&required).unwrap();
        assert_eq!(
            json,
            r#"{"literals":["getty","é",[255,97],""],"starts":true}"#
        );
        let back: Required = serde_json::from_str(&json).unwrap();
        assert_eq!(back, required);
    }
}
