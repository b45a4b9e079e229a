//! Lists a guild's invites and revokes the ones that have expired (by time) or are used up.
//!
//! ```text
//! DISCORD_TOKEN=... cargo run --example revoke_expired -- <guild id>
//! ```

use discord_invite::client::{Client, ErrorCode, Token};
use discord_invite::{Snowflake, Timestamp};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let guild: Snowflake = std::env::args()
        .nth(1)
        .ok_or("usage: revoke_expired <guild id>")?
        .parse()?;
    let token = std::env::var("DISCORD_TOKEN").map_err(|_| "set DISCORD_TOKEN")?;
    let client = Client::new(Token::bot(token)?)?;

    let now = Timestamp::now();
    for invite in client.list_guild_invites(guild).send().await? {
        let used_up = invite.remaining_uses() == Some(0);
        if !invite.is_expired(now) && !used_up {
            continue;
        }
        let result = client
            .invite_revoke(invite.code())
            .audit_log_reason("expired invite clean-up")
            .send()
            .await;
        match result {
            Ok(_) => println!("revoked {}", invite.code()),
            // Gone already (expired invites may be deleted by Discord meanwhile).
            Err(e) if e.code() == Some(ErrorCode::UNKNOWN_INVITE) => {}
            Err(e) => eprintln!("cannot revoke {}: {e}", invite.code()),
        }
    }
    Ok(())
}
