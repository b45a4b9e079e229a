//! Resolves an invite with its member counts and prints its link.
//!
//! ```text
//! DISCORD_TOKEN=... cargo run --example get_invite -- discord-developers
//! ```
//! The token is optional for this endpoint; without `DISCORD_TOKEN` the request is anonymous.

use discord_invite::client::{Client, Token};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let code = std::env::args()
        .nth(1)
        .ok_or("usage: get_invite <invite code>")?;
    let mut builder = Client::builder();
    if let Ok(token) = std::env::var("DISCORD_TOKEN") {
        builder = builder.token(Token::bot(token)?);
    }
    let client = builder.build()?;
    let invite = client.invite_resolve(code).with_counts(true).send().await?;
    println!("{}", invite.link());
    if let discord_invite::Invite::Guild(guild) = &invite {
        println!(
            "members: {:?}, online: {:?}",
            guild.approximate_member_count.as_option(),
            guild.approximate_presence_count.as_option()
        );
    }
    Ok(())
}
