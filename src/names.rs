//! 单位名称的公文惯例：层级前缀（省、市、区、县、州、旗与带地名的写法）、机构后缀（局、委、
//! 街道办事处……）、群体短语、自带层级的名称。不依赖别的模块（登记册、任务目录都用它）。
//!
//! 不依赖登记册：一份没有登记册的新通知，也能按这些惯例把“市教育局、民政局”读成
//! 市教育局、市民政局。登记册认识的写法总是优先（见 `catalogue::expand`）。

/// 层级字：名称开头的这些字表示所属的行政层级。
const LEVEL_CHARS: &[char] = &['省', '市', '区', '县', '州', '旗', '盟'];

/// 以层级字开头、却不是层级的词（“市场监管局”不是“市”的场监管局）。
const NOT_LEVEL_WORDS: &[&str] = &[
    "市场",
    "市容",
    "市政工程",
    "市政设施",
    "市政管理",
    "市政建设",
    "市政公用",
    "市级",
    "区域",
    "区块",
    "区级",
    "县域",
    "县级",
    "省级",
    "州级",
    "城市",
    "都市",
    "城区",
    "社区",
    "园区",
    "景区",
    "片区",
    "街区",
    "辖区",
    "小区",
    "校区",
    "地区",
    "山区",
    "库区",
    "湖区",
    "矿区",
];

/// 自带层级的开头：这些单位不借列表首项的层级前缀（“人民银行江夏支行”不是“区人民银行……”）。
pub(crate) const OWN_LEVEL_HEADS: &[&str] = &[
    "国家",
    "国务院",
    "中国",
    "中央",
    "全国",
    "人民银行",
    "人行",
    "国网",
    "武警",
    "海关",
    "驻",
    "团",
    "各",
];

/// 机构后缀，长的在前（取最长匹配）。
const INSTITUTION_SUFFIXES: &[&str] = &[
    "街道办事处",
    "管理委员会",
    "人民政府",
    "有限公司",
    "办事处",
    "委员会",
    "管委会",
    "指挥部",
    "工作站",
    "分公司",
    "政府",
    "街道",
    "中心",
    "分局",
    "集团",
    "公司",
    "支行",
    "分行",
    "大队",
    "支队",
    "局",
    "委",
    "办",
    "部",
    "院",
    "会",
    "所",
    "站",
    "队",
    "馆",
    "厅",
    "处",
    "室",
    "社",
    "行",
    "联",
    "协",
    "校",
    "署",
    "镇",
    "乡",
    "场",
    "台",
    "科",
    "组",
];

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// 名称开头的层级前缀（字节长度）：“市教育局”→“市”，“江夏区财政局”→“江夏区”，
/// “武汉市江夏区财政局”→“武汉市江夏区”。没有层级前缀时为 `None`（“民政局”“市场监管局”）。
pub fn level_prefix(name: &str) -> Option<usize> {
    let first = name.chars().next()?;
    let starts_word = |s: &str| NOT_LEVEL_WORDS.iter().any(|w| s.starts_with(w));
    if LEVEL_CHARS.contains(&first) {
        let rest = &name[first.len_utf8()..];
        return (!rest.is_empty() && !starts_word(name)).then_some(first.len_utf8());
    }
    if first == '团' {
        return None;
    }
    // 带地名的层级：开头 8 个字以内最后一个层级字（“郑州市”而不是“郑州”）。
    let mut best = None;
    let mut prev = 0;
    for (i, c) in name.char_indices().skip(1).take(8) {
        if !is_cjk(c) {
            break;
        }
        let end = i + c.len_utf8();
        if LEVEL_CHARS.contains(&c)
            && end < name.len()
            && !starts_word(&name[prev..])
            && !starts_word(&name[i..])
        {
            best = Some(end);
        }
        prev = i;
    }
    best
}

/// 名称是否自带层级（有层级前缀、地名，或是国家、垂直管理单位与群团的写法），因而不借用列表首项的前缀。
pub fn has_own_level(name: &str) -> bool {
    level_prefix(name).is_some()
        || OWN_LEVEL_HEADS.iter().any(|h| name.starts_with(h))
        || ["省委", "市委", "区委", "县委", "州委"]
            .iter()
            .any(|w| name.contains(w))
        || name.ends_with("政府") && name.contains(LEVEL_CHARS)
}

/// 名称的层级：层级前缀，或“团市委”“团区委”里的“市”“区”。用于不跨层级地比较名称。
pub fn level_of(name: &str) -> Option<&str> {
    if let Some(n) = level_prefix(name) {
        return Some(&name[..n]);
    }
    let rest = name.strip_prefix('团')?;
    let c = rest.chars().next().filter(|c| LEVEL_CHARS.contains(c))?;
    Some(&rest[..c.len_utf8()])
}

/// 全文多数单位名的层级（只看单字层级“市”“区”“县”……）：至少 3 处、占六成以上时才算。
/// `lines` 为通知各行，按顿号、逗号、括号、冒号切开后看每段像不像单位名。
pub fn dominant_level(lines: &[&str]) -> Option<String> {
    let mut count: std::collections::BTreeMap<char, usize> = std::collections::BTreeMap::new();
    let seps = [
        '、', '，', ',', '；', ';', '：', ':', '（', '(', '）', ')', '。', ' ', '\u{3000}',
    ];
    for l in lines {
        for item in l.split(seps) {
            let n = item.chars().count();
            if !(3..=15).contains(&n) || institution_suffix(item).is_none() || is_group_phrase(item)
            {
                continue;
            }
            if let Some(p) =
                level_prefix(item).filter(|p| *p == item.chars().next().map_or(0, char::len_utf8))
            {
                *count
                    .entry(item[..p].chars().next().unwrap_or(' '))
                    .or_default() += 1;
            }
        }
    }
    let total: usize = count.values().sum();
    let (c, n) = count.into_iter().max_by_key(|(_, n)| *n)?;
    (n >= 3 && n * 10 >= total * 6).then(|| c.to_string())
}

/// 名称末尾的机构后缀（最长匹配），如“商务局”→“局”，“五里界街道办事处”→“街道办事处”。
pub fn institution_suffix(name: &str) -> Option<&'static str> {
    INSTITUTION_SUFFIXES
        .iter()
        .find(|s| name.ends_with(*s) && name.len() > s.len())
        .copied()
}

/// 党委工作部门：借前缀时借“市委”而不是“市”（“市委组织部、宣传部”→ 市委宣传部）。
pub fn is_party_body(name: &str) -> bool {
    const BODIES: &[&str] = &[
        "组织部",
        "宣传部",
        "统战部",
        "政法委",
        "编办",
        "网信办",
        "台办",
        "国安办",
        "政研室",
        "巡察办",
        "老干部局",
        "党史研究室",
        "督查室",
    ];
    BODIES.contains(&name)
}

/// 群体短语（不是单个单位）：“各街道办事处”“区直各单位”“市直有关部门”“区安委会各成员单位”。
pub fn is_group_phrase(name: &str) -> bool {
    name.contains('各')
        || name.ends_with("单位")
        || name.ends_with("部门")
        || name.contains("有关")
        || name.contains("相关")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_prefixes() {
        fn p(s: &str) -> Option<&str> {
            level_prefix(s).map(|n| &s[..n])
        }
        assert_eq!(p("市教育局"), Some("市"));
        assert_eq!(p("江夏区财政局"), Some("江夏区"));
        assert_eq!(p("恩施州民政局"), Some("恩施州"));
        assert_eq!(p("区委组织部"), Some("区"));
        assert_eq!(p("民政局"), None);
        assert_eq!(p("市场监管局"), None);
        assert_eq!(p("城市管理执法局"), None);
        assert_eq!(p("社区卫生服务中心"), None);
        assert_eq!(p("武汉市"), None);
        assert_eq!(p("市民政局"), Some("市"));
        assert_eq!(p("市政府办公厅"), Some("市"));
        assert_eq!(p("郑州市教育局"), Some("郑州市"));
        assert_eq!(p("武汉市江夏区财政局"), Some("武汉市江夏区"));
        assert_eq!(p("江夏区市场监管局"), Some("江夏区"));
        assert_eq!(p("团区委"), None);
    }

    #[test]
    fn own_level_and_suffixes() {
        assert!(has_own_level("江岸区政府"));
        assert!(has_own_level("团区委"));
        assert!(has_own_level("人民银行江夏支行"));
        assert!(has_own_level("各街道办事处"));
        assert!(!has_own_level("民政局"));
        assert!(!has_own_level("市场监管局"));
        assert_eq!(institution_suffix("商务局"), Some("局"));
        assert_eq!(institution_suffix("五里界街道办事处"), Some("街道办事处"));
        assert_eq!(institution_suffix("科经"), None);
        assert_eq!(institution_suffix("局"), None);
    }

    #[test]
    fn dominant_level_of_a_notice() {
        let city = [
            "1.甲。（牵头单位：市发改委；责任单位：市财政局、市统计局）",
            "2.乙。（市教育局、县应急局）",
        ];
        assert_eq!(dominant_level(&city).as_deref(), Some("市"));
        assert_eq!(dominant_level(&["1.甲。（牵头单位：市发改委）"]), None);
        assert_eq!(level_of("团市委"), Some("市"));
        assert_eq!(level_of("区财政局"), Some("区"));
    }

    #[test]
    fn group_phrases() {
        assert!(is_group_phrase("区直各单位"));
        assert!(is_group_phrase("市直有关部门"));
        assert!(!is_group_phrase("区民政局"));
    }
}
