//! 单位登记册 `content/units.toml`：规范名、类别、别名/简称、群体短语的成员。
//!
//! 解析器靠它决定简写列表怎样拆分（“区科经、商务局”→ 区科经局、区商务局），
//! 登记册靠编辑文件扩充，不改代码。

mod load;

pub use load::InvalidRegistry;

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// 单位类别。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum UnitKind {
    #[serde(rename = "区直部门")]
    Department,
    #[serde(rename = "街道办事处")]
    Street,
    #[serde(rename = "企业")]
    Enterprise,
    #[serde(rename = "其他")]
    Other,
}

impl UnitKind {
    /// 中文名，与 units.toml 中的写法一致。
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Department => "区直部门",
            UnitKind::Street => "街道办事处",
            UnitKind::Enterprise => "企业",
            UnitKind::Other => "其他",
        }
    }
}

/// 一个单位。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// 规范名，如“区科经局”。
    pub name: String,
    pub kind: UnitKind,
    /// 别名与简称，如 ["区财政局(金融办)"]。
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// 群体短语，如“各街道办事处”；`members` 为已知成员（规范名），未知则为空。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupPhrase {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub members: Vec<String>,
}

/// units.toml 中群体短语的写法：比 [`GroupPhrase`] 多一个 `member_kind`
/// （该类别的全部单位都是成员），读入时展开进 `members`，下游只看 `members`。
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    member_kind: Option<UnitKind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegistry {
    #[serde(default)]
    unit: Vec<Unit>,
    #[serde(default)]
    group: Vec<RawGroup>,
}

/// 单位登记册。读入时经 `RawRegistry` 把 `member_kind` 展开进各短语的 `members`，
/// 因此直接 `toml::from_str::<Registry>` 也得到完整成员。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RawRegistry")]
pub struct Registry {
    #[serde(default, rename = "unit")]
    pub units: Vec<Unit>,
    #[serde(default, rename = "group")]
    pub groups: Vec<GroupPhrase>,
    /// 按名称查找的缓存（第一次查找时建立）；不参与比较与序列化。
    #[serde(skip)]
    lookup: Lookup,
}

/// 规范化名称 → 下标的查找表。`Registry::unit` 每次线性扫描会使大登记册（几千个单位）
/// 的加载与分工变成平方级，所以第一次查找时建一次。单位或短语个数变了（字段是公开的）就不用它。
#[derive(Default)]
struct Lookup(OnceLock<Tables>);

struct Tables {
    units: HashMap<String, usize>,
    groups: HashMap<String, usize>,
    sizes: (usize, usize),
}

impl Clone for Lookup {
    fn clone(&self) -> Self {
        Lookup::default()
    }
}
impl PartialEq for Lookup {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Lookup {}
impl std::fmt::Debug for Lookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lookup")
    }
}

impl From<RawRegistry> for Registry {
    fn from(raw: RawRegistry) -> Self {
        let groups = raw
            .group
            .into_iter()
            .map(|g| {
                let mut members = g.members;
                if let Some(kind) = g.member_kind {
                    let mut have: HashSet<String> = members.iter().map(|m| normalize(m)).collect();
                    for u in raw.unit.iter().filter(|u| u.kind == kind) {
                        if have.insert(normalize(&u.name)) {
                            members.push(u.name.clone());
                        }
                    }
                }
                GroupPhrase {
                    name: g.name,
                    aliases: g.aliases,
                    members,
                }
            })
            .collect();
        Registry {
            units: raw.unit,
            groups,
            lookup: Lookup::default(),
        }
    }
}

/// 名称比较前的规范化：全角括号→半角，去掉空白。别名的括号写法因此不必两种都登记。
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect()
}

/// 按名称查到的登记项。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered<'a> {
    Unit(&'a Unit),
    Group(&'a GroupPhrase),
}

/// 规范化名称 → 登记项的查找表，解析时建一次。
#[derive(Debug)]
pub struct Index<'a> {
    map: HashMap<String, Registered<'a>>,
    registry: &'a Registry,
}

impl<'a> Index<'a> {
    /// 按名称、别名查找（忽略全半角括号与空白差异）。
    pub fn get(&self, name: &str) -> Option<Registered<'a>> {
        self.map.get(&normalize(name)).copied()
    }
    pub fn registry(&self) -> &'a Registry {
        self.registry
    }
}

impl Registry {
    /// 由单位与群体短语组成登记册（测试与以后的调用方用）。
    pub fn new(units: Vec<Unit>, groups: Vec<GroupPhrase>) -> Self {
        Registry {
            units,
            groups,
            lookup: Lookup::default(),
        }
    }

    /// 查找表；登记册建立后又被改动（个数不符）时为 `None`，调用方退回逐个比较。
    fn tables(&self) -> Option<&Tables> {
        let t = self.lookup.0.get_or_init(|| {
            let mut units = HashMap::new();
            for (i, u) in self.units.iter().enumerate() {
                for n in std::iter::once(&u.name).chain(&u.aliases) {
                    units.entry(normalize(n)).or_insert(i);
                }
            }
            let mut groups = HashMap::new();
            for (i, g) in self.groups.iter().enumerate() {
                for n in std::iter::once(&g.name).chain(&g.aliases) {
                    groups.entry(normalize(n)).or_insert(i);
                }
            }
            Tables {
                units,
                groups,
                sizes: (self.units.len(), self.groups.len()),
            }
        });
        (t.sizes == (self.units.len(), self.groups.len())).then_some(t)
    }

    /// 按规范名或别名查找单位。
    pub fn unit(&self, name: &str) -> Option<&Unit> {
        let n = normalize(name);
        if let Some(t) = self.tables() {
            return t.units.get(&n).map(|&i| &self.units[i]);
        }
        self.units
            .iter()
            .find(|u| normalize(&u.name) == n || u.aliases.iter().any(|a| normalize(a) == n))
    }
    /// 按名称或别名查找群体短语。
    pub fn group(&self, name: &str) -> Option<&GroupPhrase> {
        let n = normalize(name);
        if let Some(t) = self.tables() {
            return t.groups.get(&n).map(|&i| &self.groups[i]);
        }
        self.groups
            .iter()
            .find(|g| normalize(&g.name) == n || g.aliases.iter().any(|a| normalize(a) == n))
    }

    /// 建立查找表。重名时先登记者优先（重名本身由 [`Registry::parse`] 报错）。
    pub fn index(&self) -> Index<'_> {
        let mut map = HashMap::new();
        for u in &self.units {
            for n in std::iter::once(&u.name).chain(&u.aliases) {
                map.entry(normalize(n)).or_insert(Registered::Unit(u));
            }
        }
        for g in &self.groups {
            for n in std::iter::once(&g.name).chain(&g.aliases) {
                map.entry(normalize(n)).or_insert(Registered::Group(g));
            }
        }
        Index {
            map,
            registry: self,
        }
    }

    /// 群体短语（按名称或别名）的已知成员单位，按 `members` 的顺序；短语未登记或成员不明时为空。
    pub fn group_members(&self, name: &str) -> Vec<&Unit> {
        let Some(g) = self.group(name) else {
            return Vec::new();
        };
        g.members.iter().filter_map(|m| self.unit(m)).collect()
    }

    /// 包含某单位的全部群体短语（如区纸坊街道办事处 → 各街道办事处、各相关街道办事处）。
    pub fn groups_of(&self, unit: &str) -> Vec<&GroupPhrase> {
        let Some(u) = self.unit(unit) else {
            return Vec::new();
        };
        self.groups
            .iter()
            .filter(|g| g.members.iter().any(|m| normalize(m) == normalize(&u.name)))
            .collect()
    }

    /// 登记的每种写法（规范名与别名）及其规范名：先单位，后群体短语，按文件顺序。
    fn written_names(&self) -> impl Iterator<Item = (&String, &String)> {
        let units = self.units.iter().flat_map(|u| {
            std::iter::once(&u.name)
                .chain(&u.aliases)
                .map(move |n| (n, &u.name))
        });
        let groups = self.groups.iter().flat_map(|g| {
            std::iter::once(&g.name)
                .chain(&g.aliases)
                .map(move |n| (n, &g.name))
        });
        units.chain(groups)
    }

    /// “你是不是要找”：按字符编辑距离找最接近的登记名（最多 3 个，给规范名）。
    pub fn suggest(&self, queries: &[&str]) -> Vec<String> {
        let mut scored: Vec<(usize, String)> = Vec::new();
        let names = self.written_names();
        let level = |s: &str| crate::names::level_of(s).map(str::to_string);
        let queries: Vec<(Vec<char>, Option<String>)> = queries
            .iter()
            .map(|q| (normalize(q).chars().collect(), level(q)))
            .collect();
        for (written, canonical) in names {
            let w: Vec<char> = normalize(written).chars().collect();
            let w_level = level(written);
            let best = queries
                .iter()
                // 层级不同的是另一个单位（“市财政局”不是“区财政局”），不拿来建议。
                .filter(|(_, ql)| ql.is_none() || w_level.is_none() || *ql == w_level)
                .map(|(q, _)| {
                    let d = edit_distance(q, &w);
                    let limit = (q.len().max(w.len()) / 3).max(1);
                    (d, d <= limit)
                })
                .filter(|(_, ok)| *ok)
                .map(|(d, _)| d)
                .min();
            if let Some(d) = best {
                scored.push((d, canonical.clone()));
            }
        }
        scored.sort();
        let mut out: Vec<String> = Vec::new();
        for (_, n) in scored {
            if !out.contains(&n) {
                out.push(n);
            }
            if out.len() == 3 {
                break;
            }
        }
        out
    }
}

/// 按字符的编辑距离（Levenshtein）。
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[[unit]]
name = "区财政局"
kind = "区直部门"
aliases = ["区财政局(金融办)"]

[[unit]]
name = "纸坊街道办事处"
kind = "街道办事处"

[[unit]]
name = "金口街道办事处"
kind = "街道办事处"

[[group]]
name = "各街道办事处"
member_kind = "街道办事处"
"#;

    #[test]
    fn alias_with_fullwidth_brackets_resolves() {
        let (r, d) = Registry::parse(SAMPLE, "units.toml");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.unit("区财政局（金融办）").unwrap().name, "区财政局");
        assert_eq!(r.unit("区财政局(金融办)").unwrap().name, "区财政局");
        assert_eq!(r.group("各街道办事处").unwrap().name, "各街道办事处");
        assert!(r.unit("各街道办事处").is_none());
        assert!(r.unit("区某局").is_none() && r.group("区某局").is_none());
    }

    #[test]
    fn group_members_by_kind() {
        let (r, _) = Registry::parse(SAMPLE, "units.toml");
        let m: Vec<&str> = r
            .group_members("各街道办事处")
            .iter()
            .map(|u| u.name.as_str())
            .collect();
        assert_eq!(m, ["纸坊街道办事处", "金口街道办事处"]);
        assert_eq!(r.groups_of("金口街道办事处")[0].name, "各街道办事处");
        // 单个单位不是群体短语，没有成员。
        assert!(r.group_members("区财政局").is_empty());
    }

    #[test]
    fn bad_toml_reports_line() {
        let text = "[[unit]]\nname = \"区财政局\"\nkind = \"部门\"\n";
        let (r, d) = Registry::parse(text, "units.toml");
        assert!(r.units.is_empty());
        let e = d.sorted()[0];
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("格式有误"), "{e}");
    }

    #[test]
    fn duplicates_and_unknown_members_are_errors() {
        let text = format!(
            "{SAMPLE}\n[[unit]]\nname = \"区财政局（金融办）\"\nkind = \"其他\"\n\n[[group]]\nname = \"各区属国有企业\"\nmembers = [\"区财政句\"]\n"
        );
        let (_, d) = Registry::parse(&text, "units.toml");
        let msgs: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(d.errors(), 2, "{msgs:#?}");
        assert!(msgs[0].contains("重复登记"), "{msgs:#?}");
        assert!(msgs[0].contains(":20:8："), "{msgs:#?}");
        assert!(msgs[1].contains("你是不是要找：区财政局"), "{msgs:#?}");
    }

    #[test]
    fn suggestions_by_edit_distance() {
        let (r, _) = Registry::parse(SAMPLE, "units.toml");
        assert_eq!(r.suggest(&["区财政句"]), ["区财政局"]);
        assert!(r.suggest(&["完全无关的名字"]).is_empty());
    }
}
