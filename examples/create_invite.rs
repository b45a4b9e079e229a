//! Creates a one-hour, ten-use invite to a guild channel, with an audit-log reason.
//!
//! ```text
//! DISCORD_TOKEN=... cargo run --example create_invite -- <channel id> "reason for the audit log"
//! ```

use discord_invite::client::{Client, Token};
use discord_invite::{CreateGuildInviteRequest, Nullable, Snowflake};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let channel: Snowflake = args
        .next()
        .ok_or("usage: create_invite <channel id> [reason]")?
        .parse()?;
    let reason = args
        .next()
        .unwrap_or_else(|| "created by the example".to_owned());
    let token = std::env::var("DISCORD_TOKEN").map_err(|_| "set DISCORD_TOKEN")?;
    let client = Client::new(Token::bot(token)?)?;

    let body = CreateGuildInviteRequest {
        max_age: Nullable::Value(3600),
        max_uses: Nullable::Value(10),
        ..Default::default()
    };
    match client
        .create_channel_invite(channel)
        .body(body)
        .audit_log_reason(reason)
        .send()
        .await?
    {
        Some(invite) => println!("created {}", invite.link()),
        None => println!("created (Discord sent no body)"),
    }
    Ok(())
}
