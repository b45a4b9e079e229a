//! `Text`, the models' strings: every string round-trips unchanged through every door
//! (serde_json, MessagePack, the fast path) and inside the models, inline or not.

use discord_invite::{Payload, Text, User};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_string_round_trips(s in any::<String>()) {
        let t = Text::from(s.as_str());
        prop_assert_eq!(&t, &s);
        prop_assert_eq!(t.is_heap_allocated(), s.len() > Text::INLINE_CAPACITY);
        prop_assert_eq!(Text::from(s.clone()), t.clone());
        prop_assert_eq!(s.parse::<Text>().unwrap(), t.clone());
        prop_assert_eq!(t.to_string(), s.clone());
        prop_assert_eq!(format!("{t:?}"), format!("{s:?}"));

        let json = serde_json::to_string(&s).unwrap();
        prop_assert_eq!(serde_json::to_string(&t).unwrap(), json.clone());
        prop_assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), t.clone());
        let packed = rmp_serde::to_vec(&t).unwrap();
        prop_assert_eq!(&packed, &rmp_serde::to_vec(&s).unwrap());
        prop_assert_eq!(rmp_serde::from_slice::<Text>(&packed).unwrap(), t);
    }

    #[test]
    fn user_names_round_trip_byte_for_byte(name in any::<String>(), global in any::<String>()) {
        let text = format!(
            r#"{{"id":"1","username":{},"global_name":{}}}"#,
            serde_json::to_string(&name).unwrap(),
            serde_json::to_string(&global).unwrap()
        );
        let user = User::from_json_str(&text).unwrap();
        prop_assert_eq!(&user.username, name.as_str());
        prop_assert_eq!(user.to_json_string().unwrap(), text.clone());
        let again: User = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(again, user);
    }
}

#[test]
fn a_text_is_a_str_in_every_way_a_caller_needs() {
    use std::collections::{BTreeSet, HashMap};
    let name = Text::from("general");
    let as_str: &str = &name;
    assert_eq!(as_str, "general");
    assert!(name.starts_with("gen") && name.len() == 7);
    let mut counts: HashMap<Text, u32> = HashMap::new();
    *counts.entry(name.clone()).or_default() += 1;
    assert_eq!(counts.get("general"), Some(&1)); // Borrow<str>
    let sorted: BTreeSet<Text> = ["b", "a"].into_iter().map(Text::from).collect();
    assert_eq!(
        sorted.iter().map(Text::as_str).collect::<Vec<_>>(),
        ["a", "b"]
    );
    let owned = String::from("general");
    assert_eq!(name, "general");
    assert_eq!("general", name);
    assert_eq!(name, owned);
    let owned: String = name.into();
    assert_eq!(owned, "general");
}
