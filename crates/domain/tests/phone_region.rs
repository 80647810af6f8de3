//! Prefix and area-code lookups against what phone.dat 2312 says.

use domain::phone_region::{
    Carrier, LandlineRegion, NumberRegion, Region, dataset_version, lookup, lookup_area_code,
    lookup_landline, lookup_mobile, lookup_mobile_prefix, preload,
};

fn mobile(number: &str) -> (&'static str, &'static str, &'static str, Carrier) {
    let r = lookup_mobile(number).unwrap_or_else(|| panic!("{number} is in the dataset"));
    (r.province, r.city, r.area_code, r.carrier)
}

fn landline(number: &str) -> (&'static str, &'static str, &'static str) {
    let r = lookup_landline(number).unwrap_or_else(|| panic!("{number} has a known area code"));
    (r.province, r.city, r.area_code)
}

#[test]
fn embedded_table_is_the_december_2023_data() {
    assert!(preload());
    assert_eq!(dataset_version(), Some("2312"));
}

#[test]
fn known_mobile_prefixes() {
    use Carrier::*;
    assert_eq!(mobile("13800138000"), ("北京", "北京", "010", ChinaMobile));
    assert_eq!(mobile("13500001234"), ("广东", "广州", "020", ChinaMobile));
    assert_eq!(
        mobile("13900001234"),
        ("新疆", "乌鲁木齐", "0991", ChinaMobile)
    );
    assert_eq!(mobile("18657101234"), ("浙江", "杭州", "0571", ChinaUnicom));
    assert_eq!(mobile("13000001234"), ("山东", "济南", "0531", ChinaUnicom));
    assert_eq!(mobile("18900001234"), ("北京", "北京", "010", ChinaTelecom));
    assert_eq!(
        mobile("13300001234"),
        ("广西", "南宁", "0771", ChinaTelecom)
    );
    assert_eq!(
        mobile("15212345678"),
        ("安徽", "马鞍山", "0555", ChinaMobile)
    );
    assert_eq!(
        mobile("19999791234"),
        ("新疆", "石河子", "0993", ChinaTelecom)
    );
    // 广电 has its own code (7) in the data, on the 192 segment.
    assert_eq!(
        mobile("19200001234"),
        ("广东", "佛山", "0757", ChinaBroadnet)
    );
    // Virtual operators, each with its own code.
    assert_eq!(
        mobile("17050001234"),
        ("北京", "北京", "010", ChinaMobileVirtual)
    );
    assert_eq!(
        mobile("16710071234"),
        ("北京", "北京", "010", ChinaUnicomVirtual)
    );
    assert_eq!(
        mobile("16210241234"),
        ("天津", "天津", "022", ChinaTelecomVirtual)
    );
    // The source's 00479 is corrected to 0479 by the converter.
    assert_eq!(
        mobile("13030451234"),
        ("内蒙古", "锡林郭勒", "0479", ChinaUnicom)
    );
}

#[test]
fn prefix_and_full_number_agree() {
    assert_eq!(lookup_mobile_prefix(1380013), lookup_mobile("13800138000"));
    assert_eq!(lookup_mobile_prefix(1865710), lookup_mobile("18657109999"));
}

#[test]
fn carrier_labels() {
    let labels: Vec<_> = [
        Carrier::ChinaMobile,
        Carrier::ChinaUnicom,
        Carrier::ChinaTelecom,
        Carrier::ChinaBroadnet,
        Carrier::ChinaMobileVirtual,
        Carrier::ChinaUnicomVirtual,
        Carrier::ChinaTelecomVirtual,
        Carrier::ChinaBroadnetVirtual,
    ]
    .iter()
    .map(|c| (c.label(), c.is_virtual()))
    .collect();
    assert_eq!(
        labels,
        [
            ("移动", false),
            ("联通", false),
            ("电信", false),
            ("广电", false),
            ("移动虚拟", true),
            ("联通虚拟", true),
            ("电信虚拟", true),
            ("广电虚拟", true),
        ]
    );
}

#[test]
fn unknown_prefixes_are_none() {
    // Segments or prefixes the dataset does not list.
    for number in ["19900001234", "14000001234", "16200001234", "16500001234"] {
        assert_eq!(lookup_mobile(number), None, "{number}");
    }
    // Outside 130_0000..=199_9999 altogether.
    assert_eq!(lookup_mobile("12000001234"), None);
    assert_eq!(lookup_mobile_prefix(1_299_999), None);
    assert_eq!(lookup_mobile_prefix(2_000_000), None);
    assert_eq!(lookup_mobile_prefix(0), None);
    assert_eq!(lookup_mobile_prefix(u32::MAX), None);
}

#[test]
fn malformed_mobiles_are_none() {
    for number in [
        "",
        "1",
        "1380013800",   // 10 digits
        "138001380001", // 12 digits
        "+8613800138000",
        "8613800138000",
        "138 0013 8000",
        "1380013800a",
        "２３８００１３８０００", // full-width digits
        "23800138000",
    ] {
        assert_eq!(lookup_mobile(number), None, "{number:?}");
        assert_eq!(lookup(number), None, "{number:?}");
    }
}

#[test]
fn well_known_area_codes() {
    assert_eq!(landline("01012345678"), ("北京", "北京", "010"));
    assert_eq!(landline("02112345678"), ("上海", "上海", "021"));
    assert_eq!(landline("057187654321"), ("浙江", "杭州", "0571"));
    assert_eq!(landline("07552345678"), ("广东", "深圳", "0755"));
    assert_eq!(
        lookup_area_code("020"),
        Some(LandlineRegion {
            province: "广东",
            city: "广州",
            area_code: "020"
        })
    );
}

#[test]
fn shared_area_codes_resolve_to_the_city_with_most_prefixes() {
    let city = |code: &str| lookup_area_code(code).map(|r| r.city);
    // The first-listed cities would be 抚顺, 咸阳, 开封, 株洲, 万州 and 三亚.
    assert_eq!(city("024"), Some("沈阳"));
    assert_eq!(city("029"), Some("西安"));
    assert_eq!(city("0371"), Some("郑州"));
    assert_eq!(city("0731"), Some("长沙"));
    assert_eq!(city("023"), Some("重庆"));
    assert_eq!(city("0898"), Some("海口"));
    assert_eq!(city("0479"), Some("锡林郭勒"));
}

#[test]
fn malformed_or_unknown_landlines_are_none() {
    for number in [
        "0",
        "021",
        "021123456",     // 6-digit subscriber number
        "021123456789",  // 9-digit subscriber number
        "02102345678",   // a subscriber number starting with 0
        "0571-87654321", // not normalised
        "001012345678",  // international prefix
        "06012345678",   // 0601 is no area code in the data
    ] {
        assert_eq!(lookup_landline(number), None, "{number:?}");
        assert_eq!(lookup(number), None, "{number:?}");
    }
    for code in ["", "0", "01", "0100", "057", "05710", "571", "0abc"] {
        assert_eq!(lookup_area_code(code), None, "{code:?}");
    }
}

#[test]
fn lookup_dispatches_on_the_first_digit() {
    let Some(NumberRegion::Mobile(Region { city, carrier, .. })) = lookup("13800138000") else {
        panic!("a mobile");
    };
    assert_eq!((city, carrier), ("北京", Carrier::ChinaMobile));

    let found = lookup("02112345678");
    assert_eq!(found.map(|r| r.city()), Some("上海"));
    assert_eq!(found.and_then(|r| r.carrier()), None);
    assert!(matches!(found, Some(NumberRegion::Landline(_))));
    assert_eq!(lookup("95588"), None);
}

#[test]
fn serializes_with_a_kind_tag() {
    let json = serde_json::to_value(lookup("18900001234")).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "kind": "mobile",
            "province": "北京",
            "city": "北京",
            "area_code": "010",
            "carrier": "china_telecom",
        })
    );
}

/// Full comparison with the source, for regenerations: `python3 tools/convert-phone-dat.py
/// phone.dat data/phone-regions.bin --dump /tmp/phone-expected.tsv`, then
/// `VOXDIAL_PHONE_DUMP=/tmp/phone-expected.tsv cargo test -p domain --test phone_region -- --ignored`.
#[test]
#[ignore = "needs the converter's dump of phone.dat"]
fn matches_source_dump() {
    let path = std::env::var("VOXDIAL_PHONE_DUMP").expect("VOXDIAL_PHONE_DUMP set");
    let dump = std::fs::read_to_string(path).expect("dump readable");
    let mut expected = std::collections::HashMap::new();
    for line in dump.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        expected.insert(f[0].parse::<u32>().unwrap(), (f[1], f[2], f[3], f[4]));
    }
    assert!(expected.len() > 400_000);
    for prefix in 1_000_000..2_000_000 {
        let got = lookup_mobile_prefix(prefix);
        match expected.get(&prefix) {
            None => assert_eq!(got, None, "{prefix}"),
            Some(&(province, city, area, code)) => {
                let r = got.unwrap_or_else(|| panic!("{prefix} missing"));
                let code: u8 = code.parse().unwrap();
                let carrier = match code {
                    1 => Carrier::ChinaMobile,
                    2 => Carrier::ChinaUnicom,
                    3 => Carrier::ChinaTelecom,
                    4 => Carrier::ChinaTelecomVirtual,
                    5 => Carrier::ChinaUnicomVirtual,
                    6 => Carrier::ChinaMobileVirtual,
                    7 => Carrier::ChinaBroadnet,
                    _ => Carrier::ChinaBroadnetVirtual,
                };
                assert_eq!(
                    (r.province, r.city, r.area_code, r.carrier),
                    (province, city, area, carrier),
                    "{prefix}"
                );
            }
        }
    }
}
