//! A value from any self-describing serde format, written as JSON text: how an unknown field
//! is kept when it does not arrive as JSON text (MessagePack, CBOR, a JSON reader without
//! serde_json's raw-value protocol, serde's buffered `Content` inside untagged enums…).

use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

/// Nesting accepted; deeper values are an error (serde_json's own limit is 128).
const MAX_DEPTH: u32 = 128;

/// Writes the next value as JSON text into a `String`.
pub(crate) struct JsonText<'a> {
    out: &'a mut String,
    depth: u32,
}

impl<'a> JsonText<'a> {
    pub(crate) fn new(out: &'a mut String) -> Self {
        JsonText { out, depth: 0 }
    }

    fn nested(&mut self) -> JsonText<'_> {
        JsonText {
            out: self.out,
            depth: self.depth + 1,
        }
    }

    fn scalar<T: serde::Serialize + ?Sized, E: de::Error>(self, v: &T) -> Result<(), E> {
        let text = serde_json::to_string(v).map_err(E::custom)?;
        self.out.push_str(&text);
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for JsonText<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.depth > MAX_DEPTH {
            return Err(de::Error::custom("value nested too deeply"));
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonText<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value JSON can hold")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(&v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(&v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(&v)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<(), E> {
        self.scalar(&v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<(), E> {
        self.scalar(&v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        if !v.is_finite() {
            return Err(E::custom(format_args!("{v} is not a JSON number")));
        }
        self.scalar(&v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<(), E> {
        // As serde_json writes bytes: an array of numbers.
        self.scalar(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.out.push_str("null");
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        JsonText {
            out: self.out,
            depth: self.depth + 1,
        }
        .deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.visit_some(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.out.push('[');
        let mut first = true;
        loop {
            let at = self.out.len();
            if !first {
                self.out.push(',');
            }
            if seq.next_element_seed(self.nested())?.is_none() {
                self.out.truncate(at);
                break;
            }
            first = false;
        }
        self.out.push(']');
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.out.push('{');
        let mut first = true;
        while let Some(key) = map.next_key_seed(KeyText)? {
            if !first {
                self.out.push(',');
            }
            first = false;
            let key = serde_json::to_string(&key).map_err(de::Error::custom)?;
            self.out.push_str(&key);
            self.out.push(':');
            map.next_value_seed(self.nested())?;
        }
        self.out.push('}');
        Ok(())
    }
}

/// An object's JSON text, from a map whose first key (`first`, already read) was not the
/// raw-value token: the models' `Deserialize` for a format that hands over the map itself.
pub(crate) fn object_rest<'de, A: MapAccess<'de>>(
    first: String,
    map: A,
) -> Result<String, A::Error> {
    let mut out = String::new();
    JsonText::new(&mut out).visit_map(Prepended {
        first: Some(first),
        map,
    })?;
    Ok(out)
}

/// `map` with the key already read from it put back in front.
struct Prepended<A> {
    first: Option<String>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Prepended<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// An object's JSON text from any deserializer (through `deserialize_map`, so serde's
/// flattened and buffered content work too); `name` is the model's, for the error.
pub(crate) fn object_text<'de, D: Deserializer<'de>>(
    d: D,
    name: &'static str,
) -> Result<String, D::Error> {
    let mut out = String::new();
    d.deserialize_map(ObjectText {
        out: &mut out,
        name,
    })?;
    Ok(out)
}

struct ObjectText<'a> {
    out: &'a mut String,
    name: &'static str,
}

impl<'de> Visitor<'de> for ObjectText<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a `{}` object", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        JsonText::new(self.out).visit_map(map)
    }
}

/// A map key as JSON's string key: strings as they are, numbers and booleans in their text
/// form (as serde_json writes integer keys).
pub(crate) struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for KeyText {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number or boolean map key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<String, E> {
        std::str::from_utf8(v)
            .map(str::to_owned)
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: serde_json::Value) -> String {
        let mut out = String::new();
        JsonText::new(&mut out).deserialize(value).unwrap();
        out
    }

    #[test]
    fn values_become_their_json_text() {
        for json in [
            r#"{"a":[1,-2,3.5,true,null,"x\"y"],"b":{},"c":[]}"#,
            "18446744073709551615",
            r#""é\n""#,
            "[[[]]]",
        ] {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(text(value), json);
        }
    }

    #[test]
    fn too_deep_is_an_error() {
        let deep: serde_json::Value =
            serde_json::from_str(&format!("{}{}", "[".repeat(120), "]".repeat(120))).unwrap();
        let mut deeper = deep.clone();
        for _ in 0..20 {
            deeper = serde_json::Value::Array(vec![deeper]);
        }
        assert!(JsonText::new(&mut String::new()).deserialize(deep).is_ok());
        assert!(JsonText::new(&mut String::new())
            .deserialize(deeper)
            .is_err());
    }
}
