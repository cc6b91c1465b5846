//! 字体：四种公文字体角色、内置子集字体、按配置选用系统字体、逐字回退链。

use super::doc::Style;
use super::error::TypesetError;
use serde::{Deserialize, Serialize};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use std::path::{Path, PathBuf};

// 字体选择属于排版引擎；`duban.toml` 的 [fonts] 一节直接用这两个类型（由 config 模块再导出），
// 所以字段、默认值和 serde 行为就是配置文件格式，改动时同步 README。

/// 某一字体角色的选择：按字族名（系统已安装）或按文件。都不填则用内置字体。
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct FaceChoice {
    /// 字族名，依次尝试，如 ["方正小标宋简体", "FZXiaoBiaoSong-B05S"]。
    pub family: Vec<String>,
    /// 字体文件路径（.ttf/.otf/.ttc），优先于 family。
    pub file: Option<PathBuf>,
}

/// 四种公文字体角色（GB/T 9704）。
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FontsConfig {
    /// 标题（小标宋）。
    pub title: FaceChoice,
    /// 正文（仿宋）。
    pub body: FaceChoice,
    /// 一级标题（黑体）。
    pub heading: FaceChoice,
    /// 二级标题（楷体）。
    pub kai: FaceChoice,
    /// 是否搜索系统字体目录（Windows 字体、/usr/share/fonts）。
    pub system: bool,
}

/// 内置字体：(文件内容, 显示名)。由 `src/assets/fonts/subset.py` 生成，SIL OFL 1.1。
const BUILTIN: [(&[u8], &str); 4] = [
    (
        include_bytes!("../assets/fonts/title.ttf"),
        "内置 Noto Serif CJK SC Bold（小标宋替代）",
    ),
    (
        include_bytes!("../assets/fonts/body.ttf"),
        "内置 Noto Serif CJK SC Regular（仿宋替代：开源简体仿宋缺位，用同源的宋体）",
    ),
    (
        include_bytes!("../assets/fonts/hei.ttf"),
        "内置 Noto Sans CJK SC Regular（黑体）",
    ),
    (
        include_bytes!("../assets/fonts/kai.ttf"),
        "内置 霞鹜文楷 LXGW WenKai（楷体）",
    ),
];

/// 缺字时画的替代符“〓”（GB 2312 中有，内置正文字体必含）。
pub(crate) const GETA: char = '〓';

/// 已解析的一款字体：krilla 字体对象 + 码位到（字形号, 前进宽度/em）的表。
pub(crate) struct Face {
    pub name: String,
    pub font: krilla::text::Font,
    cmap: CharMap,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Face({}, {} 字)", self.name, self.cmap.len)
    }
}

/// 码位 → (字形号, 前进宽度/em)。每个字都要查（常常沿回退链查几款字体），
/// 所以不用哈希表，而用 256 个码位一页的两级表：一次移位、两次取下标。
#[derive(Default)]
struct CharMap {
    /// 按页号（码位 >> 8）：`pages` 中的下标 + 1；0 表示整页都没有。
    index: Vec<u16>,
    /// 字形号 0 表示该码位没有字。
    pages: Vec<[(u16, f32); 256]>,
    len: usize,
}

impl CharMap {
    fn insert(&mut self, cp: u32, glyph: (u16, f32)) {
        let page = (cp >> 8) as usize;
        if page >= self.index.len() {
            self.index.resize(page + 1, 0);
        }
        if self.index[page] == 0 {
            self.pages.push([(0, 0.0); 256]);
            self.index[page] = self.pages.len() as u16;
        }
        let slot = &mut self.pages[self.index[page] as usize - 1][(cp & 0xFF) as usize];
        if slot.0 == 0 {
            self.len += 1;
        }
        *slot = glyph;
    }

    fn get(&self, cp: u32) -> Option<(u16, f32)> {
        let page = *self.index.get((cp >> 8) as usize)?;
        let entry = self.pages.get((page as usize).checked_sub(1)?)?[(cp & 0xFF) as usize];
        (entry.0 != 0).then_some(entry)
    }
}

impl Face {
    fn parse(data: krilla::Data, bytes: &[u8], index: u32, name: String) -> Result<Face, String> {
        let fref = FontRef::from_index(bytes, index)
            .map_err(|e| format!("不是可用的字体文件（解析器信息：{e}）"))?;
        let upem = fref
            .metrics(Size::unscaled(), LocationRef::default())
            .units_per_em as f32;
        let gm = fref.glyph_metrics(Size::unscaled(), LocationRef::default());
        let mut cmap = CharMap::default();
        for (cp, gid) in fref.charmap().mappings() {
            let g = gid.to_u32();
            if g == 0 || g > u16::MAX as u32 {
                continue;
            }
            let adv = gm.advance_width(gid).unwrap_or(upem) / upem;
            cmap.insert(cp, (g as u16, adv));
        }
        let font = krilla::text::Font::new(data, index)
            .ok_or("排版引擎无法读取该字体（文件可能已损坏）")?;
        Ok(Face { name, font, cmap })
    }

    /// 字形号与前进宽度（em）。
    pub fn glyph(&self, ch: char) -> Option<(u16, f32)> {
        self.cmap.get(ch as u32)
    }
}

/// 每次运行只加载、解析一次的字体集合（四种角色及其回退链），可在线程间共享。
#[derive(Debug)]
pub struct FontSet {
    pub(crate) faces: Vec<Face>,
    /// 按 [`role_index`] 排列的回退链（`faces` 的下标）。
    chains: [Vec<usize>; 4],
    /// 内置正文字体下标（画缺字替代符用）。
    pub(crate) fallback_face: usize,
}

/// 每种角色实际使用的字体（运行时报告给用户）。
#[derive(Debug, Clone)]
pub struct FontReport {
    pub lines: Vec<String>,
}

pub(crate) fn role_index(style: Style) -> usize {
    match style {
        Style::Title => 0,
        Style::Body | Style::Alert => 1,
        Style::Hei => 2,
        Style::Kai => 3,
    }
}

const ROLE_NAMES: [&str; 4] = ["标题（小标宋）", "正文（仿宋）", "黑体", "楷体"];

impl FontSet {
    /// 按配置加载字体；未配置或找不到的角色用内置字体。配置的字体文件读不出来时报错。
    pub fn load(cfg: &FontsConfig, base: &Path) -> Result<(FontSet, FontReport), TypesetError> {
        let mut faces = Vec::new();
        for (bytes, name) in BUILTIN {
            let face = Face::parse(krilla::Data::from(bytes), bytes, 0, name.to_string())
                .map_err(|e| TypesetError::Font(format!("{name}：{e}")))?;
            faces.push(face);
        }
        let choices = [&cfg.title, &cfg.body, &cfg.heading, &cfg.kai];
        let want_system = cfg.system || choices.iter().any(|c| !c.family.is_empty());
        let mut db = fontdb::Database::new();
        if want_system {
            db.load_system_fonts();
        }
        let mut lines = Vec::new();
        let mut chains: [Vec<usize>; 4] = Default::default();
        for (role, choice) in choices.iter().enumerate() {
            let mut chain = Vec::new();
            match load_choice(choice, base, &db)? {
                Some(face) => {
                    lines.push(format!("{}：{}", ROLE_NAMES[role], face.name));
                    faces.push(face);
                    chain.push(faces.len() - 1);
                }
                None => {
                    let mut line = format!("{}：{}", ROLE_NAMES[role], BUILTIN[role].1);
                    if !choice.family.is_empty() {
                        line.push_str(&format!(
                            "（本机未找到配置的字体 {}）",
                            choice.family.join("、")
                        ));
                    }
                    lines.push(line);
                }
            }
            // 回退链：本角色的内置字体，再依次是正文、黑体、标题、楷体内置字体。
            chain.push(role);
            for b in [1, 2, 0, 3] {
                if !chain.contains(&b) {
                    chain.push(b);
                }
            }
            chains[role] = chain;
        }
        let set = FontSet {
            faces,
            chains,
            fallback_face: 1,
        };
        Ok((set, FontReport { lines }))
    }

    /// 单元测试共用的内置字体：每个测试进程只解析一次。
    #[cfg(test)]
    pub(crate) fn shared_builtin() -> &'static FontSet {
        static F: std::sync::OnceLock<FontSet> = std::sync::OnceLock::new();
        F.get_or_init(|| FontSet::builtin().unwrap())
    }

    /// 只用内置字体（测试、基准和没有配置时）。
    pub fn builtin() -> Result<FontSet, TypesetError> {
        Ok(Self::load(&FontsConfig::default(), Path::new("."))?.0)
    }

    /// 按回退链查找某字的字体：(字体下标, 字形号, 宽度/em)。
    pub(crate) fn lookup(&self, style: Style, ch: char) -> Option<(usize, u16, f32)> {
        self.chains[role_index(style)]
            .iter()
            .find_map(|&i| self.faces[i].glyph(ch).map(|(g, a)| (i, g, a)))
    }

    /// 该角色首选的是用户配置的字体（而非内置字体）时，返回它的下标。
    pub(crate) fn configured_primary(&self, style: Style) -> Option<usize> {
        let first = self.chains[role_index(style)][0];
        (first >= BUILTIN.len()).then_some(first)
    }

    /// 某角色的首选字体名。
    pub fn role_face_name(&self, style: Style) -> &str {
        &self.faces[self.chains[role_index(style)][0]].name
    }
}

fn load_choice(
    choice: &FaceChoice,
    base: &Path,
    db: &fontdb::Database,
) -> Result<Option<Face>, TypesetError> {
    if let Some(file) = &choice.file {
        let path = base.join(file);
        let bytes = std::fs::read(&path).map_err(|e| {
            TypesetError::Font(format!(
                "无法读取字体文件 {}（系统信息：{e}）\n  提示：检查 duban.toml [fonts] 中的 file 路径（相对 duban.toml 所在目录）",
                path.display()
            ))
        })?;
        let name = format!("{}", path.display());
        let data = krilla::Data::from(bytes.clone());
        return Face::parse(data, &bytes, 0, name.clone())
            .map(Some)
            .map_err(|e| TypesetError::Font(format!("{name}：{e}")));
    }
    for family in &choice.family {
        let query = fontdb::Query {
            families: &[fontdb::Family::Name(family)],
            ..Default::default()
        };
        let Some(id) = db.query(&query) else { continue };
        let Some((source, index)) = db.face_source(id) else {
            continue;
        };
        let (bytes, where_) = match source {
            fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => match std::fs::read(&p) {
                Ok(b) => (b, p.display().to_string()),
                Err(_) => continue,
            },
            fontdb::Source::Binary(b) => ((*b).as_ref().to_vec(), "内存".into()),
        };
        let name = format!("{family}（{where_}）");
        let data = krilla::Data::from(bytes.clone());
        if let Ok(face) = Face::parse(data, &bytes, index, name) {
            return Ok(Some(face));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn fontset_is_shareable_and_covers_charset() {
        assert_send_sync::<FontSet>();
        let fonts = FontSet::shared_builtin();
        let list = include_str!("../../tests/fixtures/typeset/hanzi-8105.txt");
        for style in [Style::Title, Style::Body, Style::Hei, Style::Kai] {
            let first = fonts.chains[role_index(style)][0];
            let missing: Vec<char> = list
                .chars()
                .filter(|c| !c.is_whitespace())
                .filter(|&c| fonts.faces[first].glyph(c).is_none())
                .collect();
            assert!(missing.is_empty(), "{style:?} 缺 {missing:?}");
        }
        for c in "，。、；：？！（）《》“”‘’—…·①⑳℃№ABCxyz0123456789%".chars()
        {
            assert!(fonts.faces[1].glyph(c).is_some(), "正文缺 {c}");
        }
        assert!(fonts.faces[1].glyph(GETA).is_some());
    }

    #[test]
    fn charmap_finds_what_was_inserted_and_nothing_else() {
        let mut m = CharMap::default();
        m.insert('中' as u32, (7, 1.0));
        m.insert(0x10FFFF, (9, 0.5));
        m.insert('A' as u32, (3, 0.25));
        m.insert('A' as u32, (4, 0.5)); // 同一码位再出现：后者为准，不重复计数
        assert_eq!(m.get('中' as u32), Some((7, 1.0)));
        assert_eq!(m.get(0x10FFFF), Some((9, 0.5)));
        assert_eq!(m.get('A' as u32), Some((4, 0.5)));
        assert_eq!(m.len, 3);
        // 同页的空位、没有的页、超出表的码位都查不到。
        assert_eq!(m.get('丮' as u32), None);
        assert_eq!(m.get('B' as u32), None);
        assert_eq!(m.get(0x3000), None);
        assert_eq!(m.get(0x20_0000), None);
    }

    #[test]
    fn unconfigured_family_is_reported() {
        let mut cfg = FontsConfig::default();
        cfg.body.family = vec!["不存在的仿宋体XYZ".into()];
        let (_, report) = FontSet::load(&cfg, Path::new(".")).unwrap();
        assert!(
            report.lines[1].contains("不存在的仿宋体XYZ"),
            "{:?}",
            report
        );
        assert!(report.lines[1].contains("内置"));
    }
}

#[cfg(test)]
mod config_tests {
    use super::*;

    #[test]
    fn unreadable_font_file_is_a_clear_error() {
        let mut cfg = FontsConfig::default();
        cfg.title.file = Some("没有这个字体.ttf".into());
        let err = FontSet::load(&cfg, Path::new(".")).unwrap_err().to_string();
        assert!(
            err.contains("没有这个字体.ttf") && err.contains("提示"),
            "{err}"
        );
    }
}
