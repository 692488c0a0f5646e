//! What a screen gets for one frame, apart from the app so that the screens and the app that
//! picks them do not import each other.

use super::{pictures::Pictures, settings::AppSettings, texts::Tr};
use crate::desk::{Command, CounterView};

/// What a screen gets for one frame: the view, the texts, the settings, the textures, and where to
/// put the commands it emits.
pub(crate) struct Cx<'a> {
    pub view: &'a CounterView,
    pub tr: Tr,
    pub settings: &'a AppSettings,
    pub pictures: &'a mut Pictures,
    pub asks: &'a mut Vec<Command>,
}
