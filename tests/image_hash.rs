//! `ImageHash`: canonical hashes are held as 16 bytes, anything else as text, and every value
//! re-encodes exactly as it was read, through every door (Display / FromStr, serde_json,
//! MessagePack) and inside the models.

use discord_invite::{ImageHash, Invite, InviteGuild, Payload, User};
use proptest::prelude::*;

/// Hash-like text: mostly canonical, sometimes one character or the length off.
fn hash_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "(a_)?[0-9a-f]{32}",
        "(a_|A_|b_)?[0-9a-fA-F]{30,34}",
        "[0-9a-f_]{0,36}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn text_round_trips_through_every_door(text in hash_like()) {
        let h: ImageHash = text.parse().unwrap();
        prop_assert_eq!(h.to_string(), text.clone());
        prop_assert_eq!(&h, text.as_str());
        let canonical = text.len() == 32 + 2 * usize::from(text.starts_with("a_"))
            && text.trim_start_matches("a_").bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            && text.trim_start_matches("a_").len() == 32;
        prop_assert_eq!(h.is_canonical(), canonical);
        prop_assert_eq!(h.bytes().is_some(), canonical);
        prop_assert_eq!(h.is_animated(), text.starts_with("a_"));

        let json = serde_json::to_string(&text).unwrap();
        let from_json: ImageHash = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&from_json, &h);
        prop_assert_eq!(serde_json::to_string(&from_json).unwrap(), json);
        prop_assert_eq!(serde_json::to_value(&h).unwrap(), serde_json::Value::String(text.clone()));
        prop_assert_eq!(sonic_rs::to_string(&h).unwrap(), serde_json::to_string(&text).unwrap());

        let packed = rmp_serde::to_vec(&h).unwrap();
        prop_assert_eq!(&packed, &rmp_serde::to_vec(&text).unwrap());
        prop_assert_eq!(rmp_serde::from_slice::<ImageHash>(&packed).unwrap(), h);
    }

    #[test]
    fn users_round_trip_byte_for_byte(avatar in hash_like(), banner in hash_like()) {
        let text = format!(
            r#"{{"id":"1","username":"u","avatar":{},"banner":{}}}"#,
            serde_json::to_string(&avatar).unwrap(),
            serde_json::to_string(&banner).unwrap()
        );
        let user = User::from_json_str(&text).unwrap();
        prop_assert_eq!(user.to_json_string().unwrap(), text);
        prop_assert_eq!(user.avatar.as_option().unwrap(), avatar.as_str());
    }
}

#[test]
fn models_hold_canonical_hashes_without_text() {
    let invite = Invite::from_json_str(
        r#"{"type":0,"code":"abc","guild":{"id":"2","name":"g","splash":"Not-A-Hash","banner":null,"icon":"a_1269e74af4df7417b13759eae50c83dc"}}"#,
    )
    .unwrap();
    let guild = invite.as_guild().and_then(|g| g.guild.as_ref()).unwrap();
    let icon = guild.icon.as_option().unwrap();
    assert!(icon.is_canonical() && icon.is_animated());
    assert_eq!(icon.bytes().unwrap()[0], 0x12);
    let splash = guild.splash.as_option().unwrap();
    assert!(!splash.is_canonical());
    assert_eq!(splash, "Not-A-Hash");
    assert!(guild.banner.is_null());
    assert_eq!(
        invite.to_json_string().unwrap(),
        r#"{"type":0,"code":"abc","guild":{"id":"2","name":"g","splash":"Not-A-Hash","banner":null,"icon":"a_1269e74af4df7417b13759eae50c83dc"}}"#
    );
}

#[test]
fn image_hashes_are_not_other_types() {
    for bad in ["1", "null", "true", "[]", "{}"] {
        let text = format!(r#"{{"id":"1","username":"u","avatar":{bad}}}"#);
        let result = User::from_json_str(&text);
        if bad == "null" {
            assert!(result.unwrap().avatar.is_null());
        } else {
            let err = result.unwrap_err().to_string();
            assert!(
                err.contains("avatar") && err.contains("expected a string"),
                "{bad}: {err}"
            );
        }
    }
}

#[test]
fn cdn_urls_follow_the_hash() {
    let user = User::from_json_str(
        r#"{"id":"80351110224678912","username":"nelly","avatar":"8342729096ea3675442027381ff50dfe","banner":"a_fed43ab12698df65902ba06727e20c0e"}"#,
    )
    .unwrap();
    assert_eq!(
        user.avatar_url().unwrap(),
        "https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png"
    );
    assert_eq!(
        user.banner_url().unwrap(),
        "https://cdn.discordapp.com/banners/80351110224678912/a_fed43ab12698df65902ba06727e20c0e.gif"
    );
    let guild = InviteGuild::from_json_str(
        r#"{"id":"2","name":"g","splash":"0123456789abcdef0123456789abcdef","banner":null}"#,
    )
    .unwrap();
    assert_eq!(
        guild.splash_url().unwrap(),
        "https://cdn.discordapp.com/splashes/2/0123456789abcdef0123456789abcdef.png"
    );
    assert_eq!(guild.banner_url(), None);
    assert_eq!(guild.icon_url(), None);
}
