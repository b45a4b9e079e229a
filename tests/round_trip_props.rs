//! The round-trip law, checked on generated payloads: for every payload the SDK accepts,
//! decode → encode gives JSON equal to the input, unknown fields included. Two generators:
//! well-formed invites (which must decode) and arbitrary mixes of right and wrong values
//! (where whatever decodes must round-trip).

use discord_invite::{GatewayEnvelope, GatewayEvent, Invite, Payload};
use proptest::prelude::*;
use serde_json::Value;

#[path = "support/payloads.rs"]
mod payloads;
use payloads::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn gateway_messages_decode_and_round_trip((text, v) in gateway_message()) {
        let message = GatewayEnvelope::from_json_str(&text);
        prop_assert!(message.is_ok(), "{} did not decode: {:?}", text, message.err());
        let message = message.unwrap();
        prop_assert_eq!(message.to_json_value().unwrap(), v.clone());
        prop_assert_eq!(&GatewayEnvelope::from_json_value(&v).unwrap(), &message);
        // Invite events are typed whatever the key order.
        let t = v.get("t").and_then(Value::as_str);
        let typed = !matches!(message.event, GatewayEvent::Other { .. });
        prop_assert_eq!(typed, t.is_some_and(|t| t.starts_with("INVITE_")) && v.get("d").is_some());
    }

    #[test]
    fn well_formed_invites_decode_and_round_trip(v in invite()) {
        let decoded = Invite::from_json_value(&v);
        prop_assert!(decoded.is_ok(), "{v} did not decode: {:?}", decoded.err());
        let invite = decoded.unwrap();
        prop_assert_eq!(invite.to_json_value().unwrap(), v.clone());
        // Text in, text out, same JSON.
        let text = v.to_string();
        let again = Invite::from_json_str(&text).unwrap().to_json_string().unwrap();
        prop_assert_eq!(serde_json::from_str::<Value>(&again).unwrap(), v);
    }

    #[test]
    fn whatever_decodes_round_trips(v in messy_invite()) {
        if let Ok(invite) = Invite::from_json_value(&v) {
            prop_assert_eq!(invite.to_json_value().unwrap(), v.clone());
            // The text decoder agrees with the Value decoder.
            prop_assert!(Invite::from_json_str(&v.to_string()).is_ok());
        } else {
            prop_assert!(Invite::from_json_str(&v.to_string()).is_err());
        }
    }

    #[test]
    fn encode_then_decode_is_the_identity_on_models(v in invite()) {
        let model = Invite::from_json_value(&v).unwrap();
        let text = model.to_json_string().unwrap();
        prop_assert_eq!(Invite::from_json_str(&text).unwrap(), model);
    }
}
