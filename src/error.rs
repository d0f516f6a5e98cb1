//! Typed errors of the core. The web layer turns each into a JS `Error` whose
//! message a web developer can act on.

use crate::validate::Problems;

/// Everything that can go wrong in the core.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The trigger config was rejected; every problem is listed.
    #[error("Pathlight config is invalid: {0}")]
    Config(Problems),
    /// The answer document was rejected; every problem is listed.
    #[error("Pathlight answers are invalid: {0}")]
    Answers(Problems),
    /// A simulation script was rejected; every problem is listed.
    #[error("Pathlight simulation script is invalid: {0}")]
    Script(Problems),
    /// A host API call got an argument of the wrong shape.
    #[error("{call}: {message}")]
    Argument {
        /// The API call or option, e.g. `init(options.config)`.
        call: &'static str,
        /// What was expected, in plain words.
        message: String,
    },
    /// A handoff asked for a contact channel the config does not enable.
    #[error(
        "channel '{}' is not enabled in handoff.channels; enabled: {}",
        .channel.as_str(),
        channel_list(.enabled)
    )]
    ChannelDisabled {
        /// The channel asked for.
        channel: crate::handoff::Channel,
        /// The channels `handoff.channels` enables.
        enabled: Vec<crate::handoff::Channel>,
    },
    /// The instance was used after `destroy()`.
    #[error("{0}: this Pathlight instance was destroyed; call Pathlight.init() again")]
    Destroyed(&'static str),
}

impl Error {
    /// The validation problems behind a config or answers error, if any.
    pub fn problems(&self) -> Option<&Problems> {
        match self {
            Error::Config(p) | Error::Answers(p) | Error::Script(p) => Some(p),
            _ => None,
        }
    }
}

/// "chat, email".
fn channel_list(channels: &[crate::handoff::Channel]) -> String {
    let names: Vec<&str> = channels.iter().map(|c| c.as_str()).collect();
    names.join(", ")
}
