//! Image URLs on Discord's CDN, built from the models' image hashes.

use crate::{ImageHash, InviteGuild, Nullable, Snowflake, User};

/// The base of every CDN image URL.
pub const CDN_BASE: &str = "https://cdn.discordapp.com";

/// `{CDN_BASE}/{dir}/{id}/{hash}.{png|gif}`: a GIF for an animated hash, a PNG otherwise.
fn url(dir: &str, id: Snowflake, hash: &Nullable<ImageHash>) -> Option<String> {
    let hash = hash.as_option()?;
    Some(format!("{CDN_BASE}/{dir}/{id}/{hash}.{}", hash.extension()))
}

impl User {
    /// The user's avatar on the CDN, or `None` when they use a default avatar (or the payload
    /// leaves `avatar` out).
    ///
    /// ```
    /// use discord_invite::{Payload, User};
    /// let user = User::from_json_str(r#"{"id":"80351110224678912","username":"nelly","avatar":"a_8342729096ea3675442027381ff50dfe"}"#).unwrap();
    /// assert_eq!(
    ///     user.avatar_url().as_deref(),
    ///     Some("https://cdn.discordapp.com/avatars/80351110224678912/a_8342729096ea3675442027381ff50dfe.gif")
    /// );
    /// ```
    pub fn avatar_url(&self) -> Option<String> {
        url("avatars", self.id, &self.avatar)
    }

    /// The user's profile banner on the CDN, or `None` when they have none.
    pub fn banner_url(&self) -> Option<String> {
        url("banners", self.id, &self.banner)
    }
}

impl InviteGuild {
    /// The guild's icon on the CDN, or `None` when it has none.
    ///
    /// ```
    /// use discord_invite::{InviteGuild, Payload};
    /// let guild = InviteGuild::from_json_str(r#"{"id":"2","name":"g","icon":"1269e74af4df7417b13759eae50c83dc"}"#).unwrap();
    /// assert_eq!(
    ///     guild.icon_url().as_deref(),
    ///     Some("https://cdn.discordapp.com/icons/2/1269e74af4df7417b13759eae50c83dc.png")
    /// );
    /// ```
    pub fn icon_url(&self) -> Option<String> {
        url("icons", self.id, &self.icon)
    }

    /// The guild's invite splash on the CDN, or `None` when it has none.
    pub fn splash_url(&self) -> Option<String> {
        url("splashes", self.id, &self.splash)
    }

    /// The guild's banner on the CDN, or `None` when it has none.
    pub fn banner_url(&self) -> Option<String> {
        url("banners", self.id, &self.banner)
    }
}
