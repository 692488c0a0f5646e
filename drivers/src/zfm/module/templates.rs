//! Templates and the module's library, plus the small housekeeping commands.

use super::FingerprintModule;
use crate::transport::Transport;
use crate::zfm::command::{
    AuraLedConfig, CharBuffer, CheckSensor, Confirmation, DeleteChar, Empty, GetRandomCode,
    HandShake, Img2Tz, LoadChar, Match, ReadIndexTable, RegModel, Search, SearchHit, Store,
    TemplateNum,
};
use crate::zfm::error::ZfmError;

impl<T: Transport> FingerprintModule<T> {
    /// Extracts features from the image buffer into `buffer` (Img2Tz).
    pub fn image_to_template(&mut self, buffer: CharBuffer) -> Result<(), ZfmError> {
        self.execute(&Img2Tz { buffer })
    }

    /// Compares buffers 1 and 2: `Some(score)` if they match, `None` if they do not.
    pub fn match_buffers(&mut self) -> Result<Option<u16>, ZfmError> {
        match self.send(&Match)? {
            Ok(score) => Ok(Some(score)),
            Err(Confirmation::NoMatch) => Ok(None),
            Err(code) => Err(ZfmError::Module {
                command: "Match",
                code,
            }),
        }
    }

    /// Searches `count` library pages from `start` for the features in `buffer`.
    pub fn search(
        &mut self,
        buffer: CharBuffer,
        start: u16,
        count: u16,
    ) -> Result<Option<SearchHit>, ZfmError> {
        match self.send(&Search {
            buffer,
            start,
            count,
        })? {
            Ok(hit) => Ok(Some(hit)),
            Err(Confirmation::NotFound) => Ok(None),
            Err(code) => Err(ZfmError::Module {
                command: "Search",
                code,
            }),
        }
    }

    /// Combines buffers 1 and 2 into one template (RegModel).
    pub fn register_model(&mut self) -> Result<(), ZfmError> {
        self.execute(&RegModel)
    }

    /// Stores `buffer` at library `page`.
    pub fn store(&mut self, buffer: CharBuffer, page: u16) -> Result<(), ZfmError> {
        self.execute(&Store { buffer, page })
    }

    /// Loads library `page` into `buffer`.
    pub fn load(&mut self, buffer: CharBuffer, page: u16) -> Result<(), ZfmError> {
        self.execute(&LoadChar { buffer, page })
    }

    /// Deletes `count` templates from `page` on.
    pub fn delete(&mut self, page: u16, count: u16) -> Result<(), ZfmError> {
        self.execute(&DeleteChar { page, count })
    }

    /// Deletes every template.
    pub fn empty_library(&mut self) -> Result<(), ZfmError> {
        self.execute(&Empty)
    }

    /// How many templates the library holds.
    pub fn template_count(&mut self) -> Result<u16, ZfmError> {
        self.execute(&TemplateNum)
    }

    /// The used pages of index page `page` (templates `256 × page ..`), as page numbers.
    pub fn used_pages(&mut self, page: u8) -> Result<Vec<u16>, ZfmError> {
        let bitmap = self.execute(&ReadIndexTable { page })?;
        let base = u16::from(page) * 256;
        Ok(bitmap
            .iter()
            .enumerate()
            .flat_map(|(byte, bits)| {
                (0..8u16)
                    .filter(move |bit| bits & (1 << bit) != 0)
                    .map(move |bit| base + byte as u16 * 8 + bit)
            })
            .collect())
    }

    /// A random number from the module.
    pub fn random_code(&mut self) -> Result<u32, ZfmError> {
        self.execute(&GetRandomCode)
    }

    /// Sets the aura LED (R50x).
    pub fn set_led(&mut self, config: AuraLedConfig) -> Result<(), ZfmError> {
        self.execute(&config)
    }

    /// Asks the module whether its sensor works (R50x).
    pub fn check_sensor(&mut self) -> Result<(), ZfmError> {
        self.execute(&CheckSensor)
    }

    /// Is the module there (R50x HandShake)?
    pub fn handshake(&mut self) -> Result<(), ZfmError> {
        self.execute(&HandShake)
    }
}
