//! Where a Chinese phone number belongs: province, city and carrier of a mobile number from its
//! 7-digit prefix (号段), and province and city of a landline from its area code (区号).
//!
//! The data is `data/phone-regions.bin`, converted once from `phone.dat` of the PyPI package
//! `phone` 0.4.5 (data version 2312, December 2023) by `tools/convert-phone-dat.py`; see
//! `data/README.md` for its licence and how to regenerate it. The file is embedded in the binary
//! and decoded on first use into a flat array of one `u16` per prefix 130_0000..=199_9999
//! (1.4 MB of memory), so a lookup is an index into that array.
//!
//! Numbers are expected in the normalised form (digits only, no +86): 11-digit mobiles starting
//! with 1, landlines starting with a 0 area code. Anything else yields `None`.
//!
//! # File format (VXPR version 1, little-endian)
//!
//! ```text
//! offset size
//!  0     4    magic "VXPR"
//!  4     1    format version = 1
//!  5     4    source data version, ASCII ("2312")
//!  9     4    u32 first prefix (1300000)
//! 13     4    u32 slot count (700000): one slot per prefix from the first one on
//! 17     2    u16 region count R, then R regions, each three strings (province, city,
//!             area code), each a u8 byte length followed by UTF-8 bytes; regions are
//!             numbered 1..=R in file order (0 means "prefix not in the dataset")
//!  .     4    u32 region-run count, then the runs; each is a u16 token whose low 9 bits
//!             are the region number and high 7 bits the run length 1..=127; a length of 0
//!             means the length follows as an unsigned LEB128 varint
//!  .     4    u32 carrier-run count, then the runs; each is a u8 carrier code (0 for
//!             unknown prefixes, otherwise the source's codes 1..=8, see [`Carrier`])
//!             followed by the run length as an unsigned LEB128 varint
//! ```
//!
//! Both run streams must cover exactly the slot count, and a slot has a carrier exactly when it
//! has a region. Region and carrier runs are kept apart because carriers change per segment
//! while regions change every few prefixes; the file is about 290 KB against 4.5 MB of source.
//!
//! # Landline area codes
//!
//! Several cities share some area codes in the source (024 lists 抚顺, 本溪, 沈阳 and 铁岭). A
//! landline resolves to the city that has the most mobile prefixes with that area code (沈阳),
//! ties going to the one listed first. Taking the first listed city instead would give 抚顺 for
//! 024, 咸阳 for 029 and 开封 for 0371.

use std::sync::LazyLock;

use serde::Serialize;

/// Mobile network operator of a number, by the source's carrier codes 1..=8.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// 中国移动 (source code 1).
    ChinaMobile,
    /// 中国联通 (2).
    ChinaUnicom,
    /// 中国电信 (3).
    ChinaTelecom,
    /// 电信虚拟运营商 (4): a virtual operator on China Telecom's network.
    ChinaTelecomVirtual,
    /// 联通虚拟运营商 (5).
    ChinaUnicomVirtual,
    /// 移动虚拟运营商 (6).
    ChinaMobileVirtual,
    /// 中国广电 (7), the 192 segment.
    ChinaBroadnet,
    /// 广电虚拟运营商 (8); the package's reader knows the code, the 2312 data has no such prefix.
    ChinaBroadnetVirtual,
}

impl Carrier {
    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            1 => Self::ChinaMobile,
            2 => Self::ChinaUnicom,
            3 => Self::ChinaTelecom,
            4 => Self::ChinaTelecomVirtual,
            5 => Self::ChinaUnicomVirtual,
            6 => Self::ChinaMobileVirtual,
            7 => Self::ChinaBroadnet,
            8 => Self::ChinaBroadnetVirtual,
            _ => return None,
        })
    }

    /// Short Chinese name as shown in the console: 移动, 联通, 电信, 广电, 移动虚拟 and so on.
    pub fn label(self) -> &'static str {
        match self {
            Self::ChinaMobile => "移动",
            Self::ChinaUnicom => "联通",
            Self::ChinaTelecom => "电信",
            Self::ChinaBroadnet => "广电",
            Self::ChinaMobileVirtual => "移动虚拟",
            Self::ChinaUnicomVirtual => "联通虚拟",
            Self::ChinaTelecomVirtual => "电信虚拟",
            Self::ChinaBroadnetVirtual => "广电虚拟",
        }
    }

    /// Whether this is a virtual operator (虚拟运营商, mostly the 162/165/167/170/171 segments).
    pub fn is_virtual(self) -> bool {
        matches!(
            self,
            Self::ChinaMobileVirtual
                | Self::ChinaUnicomVirtual
                | Self::ChinaTelecomVirtual
                | Self::ChinaBroadnetVirtual
        )
    }
}

/// Where a mobile number is registered, and its carrier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Region {
    /// Province without suffix, as the source writes it: 北京, 广东, 内蒙古.
    pub province: &'static str,
    /// City without suffix: 北京, 广州, 锡林郭勒.
    pub city: &'static str,
    /// Long-distance area code with its leading 0: 010, 020, 0479.
    pub area_code: &'static str,
    pub carrier: Carrier,
}

/// Where a landline area code belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LandlineRegion {
    pub province: &'static str,
    pub city: &'static str,
    pub area_code: &'static str,
}

/// Result of [`lookup`]: a mobile number's region and carrier, or a landline's region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NumberRegion {
    Mobile(Region),
    Landline(LandlineRegion),
}

impl NumberRegion {
    pub fn province(&self) -> &'static str {
        match self {
            Self::Mobile(r) => r.province,
            Self::Landline(r) => r.province,
        }
    }

    pub fn city(&self) -> &'static str {
        match self {
            Self::Mobile(r) => r.city,
            Self::Landline(r) => r.city,
        }
    }

    pub fn area_code(&self) -> &'static str {
        match self {
            Self::Mobile(r) => r.area_code,
            Self::Landline(r) => r.area_code,
        }
    }

    /// The carrier of a mobile number; landlines have none here.
    pub fn carrier(&self) -> Option<Carrier> {
        match self {
            Self::Mobile(r) => Some(r.carrier),
            Self::Landline(_) => None,
        }
    }
}

/// Region of a normalised number: an 11-digit mobile starting with 1 or a landline starting
/// with its 0 area code. `None` for other forms and for prefixes the dataset does not know.
pub fn lookup(number: &str) -> Option<NumberRegion> {
    match number.as_bytes().first()? {
        b'1' => lookup_mobile(number).map(NumberRegion::Mobile),
        b'0' => lookup_landline(number).map(NumberRegion::Landline),
        _ => None,
    }
}

/// Region and carrier of an 11-digit mobile number such as `13800138000`.
pub fn lookup_mobile(number: &str) -> Option<Region> {
    let bytes = number.as_bytes();
    if bytes.len() != 11 || bytes[0] != b'1' || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let prefix = bytes[..7]
        .iter()
        .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
    lookup_mobile_prefix(prefix)
}

/// Region and carrier of a 7-digit mobile prefix such as `1380013`.
pub fn lookup_mobile_prefix(prefix: u32) -> Option<Region> {
    let table = TABLE.as_ref()?;
    let slot = *table
        .slots
        .get(usize::try_from(prefix.checked_sub(table.first_prefix)?).ok()?)?;
    let place = table.place(slot & REGION_MASK)?;
    Some(Region {
        province: place.province,
        city: place.city,
        area_code: place.area_code,
        carrier: Carrier::from_code((slot >> CARRIER_SHIFT) as u8)?,
    })
}

/// Region of a landline number written with its area code, such as `02112345678` or
/// `057187654321`: 010 and 02x are three-digit area codes, all others four digits, followed by a
/// 7- or 8-digit subscriber number. A subscriber number starting with 0 is refused (a doubled
/// prefix); one starting with 1 is accepted, as test data like `02112345678` uses it.
pub fn lookup_landline(number: &str) -> Option<LandlineRegion> {
    let bytes = number.as_bytes();
    if !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let area_len = area_code_len(bytes)?;
    let subscriber = bytes.get(area_len..)?;
    if !(7..=8).contains(&subscriber.len()) || subscriber[0] == b'0' {
        return None;
    }
    lookup_area_code(number.get(..area_len)?)
}

/// Region of an area code with its leading 0, such as `010`, `021` or `0571`.
pub fn lookup_area_code(area_code: &str) -> Option<LandlineRegion> {
    let bytes = area_code.as_bytes();
    if area_code_len(bytes)? != bytes.len() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let table = TABLE.as_ref()?;
    let at = table
        .area_codes
        .binary_search_by(|(code, _)| (*code).cmp(area_code))
        .ok()?;
    let place = table.place(table.area_codes[at].1)?;
    Some(LandlineRegion {
        province: place.province,
        city: place.city,
        area_code: place.area_code,
    })
}

/// Decodes the embedded table now rather than on the first lookup (a few milliseconds), e.g. at
/// server start. Returns whether it decoded, which the tests guarantee.
pub fn preload() -> bool {
    TABLE.is_some()
}

/// Version of the source data, `2312` for December 2023; `None` only if the embedded file
/// failed to decode.
pub fn dataset_version() -> Option<&'static str> {
    TABLE.as_ref().map(|t| t.version)
}

/// Length of the area code a number starts with: 3 for 010 and 02x, 4 for 03x..09x.
fn area_code_len(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [b'0', b'1' | b'2', ..] => Some(3),
        [b'0', b'3'..=b'9', ..] => Some(4),
        _ => None,
    }
}

static EMBEDDED: &[u8] = include_bytes!("../../../data/phone-regions.bin");

/// Decoded once; `None` if the embedded file is corrupt, which the tests rule out.
static TABLE: LazyLock<Option<Table<'static>>> = LazyLock::new(|| Table::decode(EMBEDDED));

/// A decoded slot is `region | carrier << CARRIER_SHIFT`.
const REGION_BITS: u32 = 9;
const REGION_MASK: u16 = (1 << REGION_BITS) - 1;
const CARRIER_SHIFT: u32 = 12;

#[derive(Clone, Copy)]
struct Place<'a> {
    province: &'a str,
    city: &'a str,
    area_code: &'a str,
}

struct Table<'a> {
    version: &'a str,
    first_prefix: u32,
    /// Region `n` of the file is `places[n - 1]`.
    places: Vec<Place<'a>>,
    slots: Vec<u16>,
    /// Sorted by area code, for binary search; the region chosen for each code.
    area_codes: Vec<(&'a str, u16)>,
}

impl<'a> Table<'a> {
    fn place(&self, region: u16) -> Option<&Place<'a>> {
        self.places.get(usize::from(region).checked_sub(1)?)
    }

    fn decode(buf: &'a [u8]) -> Option<Self> {
        let mut r = Reader { buf, pos: 0 };
        if r.bytes(4)? != b"VXPR" || r.u8()? != 1 {
            return None;
        }
        let version = std::str::from_utf8(r.bytes(4)?).ok()?;
        let first_prefix = r.u32()?;
        let slot_count = r.u32()?;
        // Prefixes have 7 digits; this also bounds the allocation below.
        if first_prefix.checked_add(slot_count)? > 10_000_000 {
            return None;
        }
        let slot_count = usize::try_from(slot_count).ok()?;
        let region_count = r.u16()?;
        if region_count > REGION_MASK {
            return None;
        }
        let mut places = Vec::with_capacity(usize::from(region_count));
        for _ in 0..region_count {
            places.push(Place {
                province: r.str()?,
                city: r.str()?,
                area_code: r.str()?,
            });
        }

        // Region runs; also count prefixes per region to settle shared area codes.
        let mut slots = Vec::with_capacity(slot_count);
        let mut prefix_counts = vec![0usize; places.len() + 1];
        for _ in 0..r.u32()? {
            let token = r.u16()?;
            let region = token & REGION_MASK;
            let len = match token >> REGION_BITS {
                0 => r.varint()?,
                n => usize::from(n),
            };
            if usize::from(region) > places.len() || len > slot_count - slots.len() {
                return None;
            }
            *prefix_counts.get_mut(usize::from(region))? += len;
            slots.extend(std::iter::repeat_n(region, len));
        }
        if slots.len() != slot_count {
            return None;
        }

        let mut at = 0usize;
        for _ in 0..r.u32()? {
            let code = r.u8()?;
            let len = r.varint()?;
            let run = slots.get_mut(at..at.checked_add(len)?)?;
            for slot in run {
                // A slot has a carrier exactly when it has a region.
                if (*slot == 0) != (code == 0) || (code != 0 && Carrier::from_code(code).is_none())
                {
                    return None;
                }
                *slot |= u16::from(code) << CARRIER_SHIFT;
            }
            at += len;
        }
        if at != slot_count || r.pos != buf.len() {
            return None;
        }

        let mut area_codes: Vec<(&'a str, u16)> = Vec::new();
        for (i, place) in places.iter().enumerate() {
            let region = u16::try_from(i + 1).ok()?;
            match area_codes
                .iter_mut()
                .find(|(code, _)| *code == place.area_code)
            {
                None => area_codes.push((place.area_code, region)),
                Some(best) if prefix_counts[i + 1] > prefix_counts[usize::from(best.1)] => {
                    best.1 = region;
                }
                Some(_) => {}
            }
        }
        area_codes.sort_unstable_by_key(|(code, _)| *code);

        Some(Self {
            version,
            first_prefix,
            places,
            slots,
            area_codes,
        })
    }
}

/// Bounds-checked cursor over the embedded file: a short or corrupt file yields `None`.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let out = self.buf.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(out)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.bytes(1)?[0])
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.bytes(2)?.try_into().ok()?))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }

    fn varint(&mut self) -> Option<usize> {
        let mut value = 0usize;
        for shift in (0..usize::BITS).step_by(7) {
            let byte = self.u8()?;
            value |= usize::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn str(&mut self) -> Option<&'a str> {
        let len = usize::from(self.u8()?);
        std::str::from_utf8(self.bytes(len)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_file_decodes() {
        let table = Table::decode(EMBEDDED).expect("embedded table decodes");
        assert_eq!(table.version, "2312");
        assert_eq!(table.slots.len(), 700_000);
        let known = table.slots.iter().filter(|s| **s != 0).count();
        assert_eq!(known, 499_527, "every prefix of phone.dat 2312");
    }

    #[test]
    fn corrupt_files_are_refused_without_panicking() {
        for len in [0, 3, 5, 19, 100, EMBEDDED.len() / 2, EMBEDDED.len() - 1] {
            assert!(
                Table::decode(&EMBEDDED[..len]).is_none(),
                "truncated at {len}"
            );
        }
        let mut extra = EMBEDDED.to_vec();
        extra.push(0);
        assert!(Table::decode(&extra).is_none(), "trailing byte");
        let mut bad_magic = EMBEDDED.to_vec();
        bad_magic[0] = b'X';
        assert!(Table::decode(&bad_magic).is_none());
        // Flipping bytes anywhere must never panic, whatever it decodes to.
        for at in (0..EMBEDDED.len()).step_by(7919) {
            let mut flipped = EMBEDDED.to_vec();
            flipped[at] ^= 0xff;
            let _ = Table::decode(&flipped);
        }
    }
}
