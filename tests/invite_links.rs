//! Invite links both ways: every link that `link()` produces parses back to the same code and
//! event, also when pasted into chat text the ways people paste links.

use discord_invite::{Invite, InviteUrl, Payload, Snowflake};
use proptest::prelude::*;
use serde_json::json;

fn code() -> impl Strategy<Value = String> {
    "[A-Za-z0-9-]{1,64}"
}

fn event() -> impl Strategy<Value = Option<u64>> {
    prop::option::of(any::<u64>())
}

/// How chat text wraps a link: (before, after).
fn wrapping() -> impl Strategy<Value = (&'static str, &'static str)> {
    prop::sample::select(vec![
        ("", ""),
        ("<", ">"),
        ("(", ")"),
        ("see ", "."),
        ("**", "**"),
        ("||", "||"),
        ("[join](", ")"),
        ("\"", "\","),
        ("`", "`"),
        ("> ", "!"),
    ])
}

/// The forms a link can be written in besides the canonical one.
fn spelling() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "https://discord.gg/",
        "http://discord.gg/",
        "discord.gg/",
        "HTTPS://DISCORD.GG/",
        "https://www.discord.gg/",
        "https://discord.gg:443/",
        "https://discord.com/invite/",
        "https://Discord.com/Invite/",
        "discordapp.com/invite/",
        "https://canary.discord.com/invite/",
    ])
}

fn invite_json(code: &str, event: Option<u64>) -> serde_json::Value {
    let mut v = json!({"type": 0, "code": code});
    if let Some(id) = event {
        v["guild_scheduled_event"] = json!({
            "id": id.to_string(), "guild_id": "1", "name": "Quiz",
            "scheduled_start_time": "2026-01-01T00:00:00+00:00", "status": 1, "entity_type": 2
        });
    }
    v
}

proptest! {
    #[test]
    fn every_link_parses_back(code in code(), event in event()) {
        let invite = Invite::from_json_value(&invite_json(&code, event)).expect("decodes");
        let link = invite.link();
        let url: InviteUrl = link.parse().expect("link() parses back");
        prop_assert_eq!(url.code(), code.as_str());
        prop_assert_eq!(url.event().map(Snowflake::get), event);
        // And the parsed link prints the same link.
        prop_assert_eq!(url.to_string(), link);
    }

    #[test]
    fn links_are_found_in_chat_text(
        code in code(),
        event in event(),
        spelling in spelling(),
        (before, after) in wrapping(),
        tracking in prop::bool::ANY,
    ) {
        let mut link = format!("{spelling}{code}");
        if let Some(id) = event {
            link.push_str(&format!("?event={id}"));
        }
        if tracking {
            link.push(if event.is_some() { '&' } else { '?' });
            link.push_str("utm_source=chat");
        }
        let text = format!("hello {before}{link}{after} and discord.gg.evil.com/{code}");
        let found = InviteUrl::find_all(&text);
        prop_assert_eq!(found.len(), 1, "{}", text);
        prop_assert_eq!(found[0].code(), code.as_str());
        prop_assert_eq!(found[0].event().map(Snowflake::get), event);
        // The link alone, and in Discord's no-embed form followed by a full stop, parses the same.
        for alone in [link.clone(), format!("<{link}>.")] {
            let parsed: InviteUrl = alone
                .parse()
                .map_err(|e| TestCaseError::fail(format!("{alone}: {e}")))?;
            prop_assert_eq!(&parsed, &found[0]);
        }
    }
}
