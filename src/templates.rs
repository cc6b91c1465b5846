//! 模板：内置模板用 `include_str!` 嵌入；`templates/` 目录下的同名文件覆盖内置模板，
//! 目录里其他 `*.tera` 文件作为新模板加入。模板产出 Markdown，再转为文档模型。

use crate::diag::{Diagnostic, Diagnostics};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// 内置模板（名称, 内容）。名称即 `templates/` 下覆盖文件的文件名。
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "notice.md.tera",
        include_str!("assets/templates/notice.md.tera"),
    ),
    (
        "tasklist.md.tera",
        include_str!("assets/templates/tasklist.md.tera"),
    ),
    (
        "reminder.md.tera",
        include_str!("assets/templates/reminder.md.tera"),
    ),
    (
        "bulletin.md.tera",
        include_str!("assets/templates/bulletin.md.tera"),
    ),
    (
        "return.md.tera",
        include_str!("assets/templates/return.md.tera"),
    ),
];

mod tera_errors;

/// 模板错误。显示为“文件:行:列：说明”加提示行。
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// 模板语法或渲染有误，已定位到模板文件的行列（内置模板写作“内置模板 名称”）。
    #[error("{}", .0.body())]
    Invalid(Box<Diagnostic>),
    #[error("没有名为“{0}”的模板\n  提示：内置模板有 notice.md.tera、tasklist.md.tera、reminder.md.tera；也可以写模板文件的路径")]
    Missing(String),
    #[error("{}", .0.diagnostic("模板").body())]
    Read(#[from] crate::textfile::ReadError),
}

/// 已加载的模板集合。
pub struct Templates {
    tera: tera::Tera,
    /// 每个模板的来源（“内置”或文件路径），按名称排序。
    sources: Vec<(String, String)>,
    /// 模板原文（名称 → 文本），用来给渲染错误定位。
    texts: BTreeMap<String, String>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("sources", &self.sources)
            .finish()
    }
}

/// 一个待加载的模板：名称、原文、来源（“内置”或路径）。
type Entry = (String, String, String);

/// 诊断里模板的文件名：覆盖文件写路径，内置模板写“内置模板 名称”。
fn shown_source(name: &str, source: &str) -> String {
    if source == "内置" {
        format!("内置模板 {name}")
    } else {
        source.to_string()
    }
}

/// 模板文件夹中的 `*.tera` 文件（按路径排序）；文件夹读不出时给一条诊断。
fn override_files(dir: &Path, diags: &mut Diagnostics) -> Vec<std::path::PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    dir.display().to_string(),
                    0,
                    0,
                    format!(
                        "无法读取模板文件夹：{}，本次只用内置模板",
                        crate::diag::io_message(&e)
                    ),
                )
                .with_hint(crate::diag::io_hint(&e)),
            );
            return Vec::new();
        }
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "tera"))
        .collect();
    files.sort();
    files
}

impl Templates {
    /// 加载内置模板，再用 `override_dir` 中的同名文件覆盖（目录不存在时只用内置模板）。
    /// 有错的模板文件报错。
    pub fn load(override_dir: Option<&Path>) -> Result<Self, TemplateError> {
        let (t, diags) = Self::load_checked(override_dir);
        match diags.sorted().first() {
            Some(d) => Err(TemplateError::Invalid(Box::new((*d).clone()))),
            None => Ok(t),
        }
    }

    /// 同 [`Templates::load`]，但有错的模板文件（读不出、语法错误）记为诊断（文件、行、列、提示）
    /// 并弃用——同名的内置模板照旧可用——其余模板照常加载，好让 `check` 一次报告全部问题。
    pub fn load_checked(override_dir: Option<&Path>) -> (Self, Diagnostics) {
        let mut diags = Diagnostics::new();
        let mut entries: Vec<Entry> = BUILTIN
            .iter()
            .map(|(n, c)| (n.to_string(), c.to_string(), "内置".to_string()))
            .collect();
        if let Some(dir) = override_dir.filter(|d| d.is_dir()) {
            for path in override_files(dir, &mut diags) {
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                match crate::textfile::read(&path) {
                    Ok(text) => {
                        entries.retain(|(n, _, _)| *n != name);
                        entries.push((name, text, path.display().to_string()));
                    }
                    Err(e) => diags.push(e.diagnostic("模板文件")),
                }
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        // 模板之间可以互相 include/extends，只能整批加入；哪个有错就换回内置的（或去掉）再试。
        let mut tera = tera::Tera::default();
        while let Err(e) = tera.add_raw_templates(entries.iter().map(|(n, t, _)| (n, t))) {
            let bad = entries
                .iter()
                .position(|(n, _, _)| e.to_string().contains(&format!("'{n}'")))
                .unwrap_or(entries.len() - 1);
            let (name, text, source) = entries.remove(bad);
            diags.push(Self::diagnostic(&e, &name, &source, &text));
            if source != "内置" {
                if let Some((n, c)) = BUILTIN.iter().find(|(n, _)| *n == name) {
                    entries.push((n.to_string(), c.to_string(), "内置".into()));
                    entries.sort_by(|a, b| a.0.cmp(&b.0));
                }
            }
            tera = tera::Tera::default();
        }
        let sources = entries
            .iter()
            .map(|(n, _, s)| (n.clone(), s.clone()))
            .collect();
        let texts = entries.into_iter().map(|(n, t, _)| (n, t)).collect();
        (
            Self {
                tera,
                sources,
                texts,
            },
            diags,
        )
    }

    /// 一条 Tera 错误 → 定位到模板文件的诊断。
    fn diagnostic(e: &tera::Error, name: &str, source: &str, text: &str) -> Diagnostic {
        let x = tera_errors::explain(e, text);
        Diagnostic::error(shown_source(name, source), x.line, x.column, x.message).with_hint(x.hint)
    }

    /// 加载一个单独的模板文件（`duban render 路径`），名称为文件名。
    pub fn add_file(&mut self, path: &Path) -> Result<String, TemplateError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| path.display().to_string());
        let text = crate::textfile::read(path)?;
        let source = path.display().to_string();
        self.tera.add_raw_template(&name, &text).map_err(|e| {
            TemplateError::Invalid(Box::new(Self::diagnostic(&e, &name, &source, &text)))
        })?;
        self.sources.retain(|(n, _)| *n != name);
        self.sources.push((name.clone(), source));
        self.texts.insert(name.clone(), text);
        Ok(name)
    }

    /// 模板名及来源，按名称排序。
    pub fn sources(&self) -> &[(String, String)] {
        &self.sources
    }

    /// 用视图结构渲染模板，得到 Markdown 文本。出错时定位到模板文件中的行。
    pub fn render(&self, name: &str, ctx: &impl Serialize) -> Result<String, TemplateError> {
        let Some((_, source)) = self.sources.iter().find(|(n, _)| n == name) else {
            return Err(TemplateError::Missing(name.into()));
        };
        let text = self.texts.get(name).map(String::as_str).unwrap_or("");
        let invalid = |e: tera::Error| {
            TemplateError::Invalid(Box::new(Self::diagnostic(&e, name, source, text)))
        };
        let ctx = tera::Context::from_serialize(ctx).map_err(invalid)?;
        self.tera.render(name, &ctx).map_err(invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_renders_and_file_overrides() {
        let t = Templates::load(None).unwrap();
        let md = t
            .render(
                "notice.md.tera",
                &serde_json::json!({"issuer": "测试办公室"}),
            )
            .unwrap();
        assert!(md.trim_start().starts_with("# 关于做好2023年"), "{md}");
        assert!(md.contains("> 测试办公室"), "{md}");
        assert!(matches!(
            t.render("无此模板", &serde_json::json!({})),
            Err(TemplateError::Missing(_))
        ));

        let dir = std::env::temp_dir().join(format!("duban-tpl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("notice.md.tera"), "# 覆盖 {{ x }}\n").unwrap();
        let t = Templates::load(Some(&dir)).unwrap();
        let md = t
            .render("notice.md.tera", &serde_json::json!({"x": 1}))
            .unwrap();
        assert_eq!(md.trim(), "# 覆盖 1");

        // 有语法错误的覆盖文件：定位到文件行列，同名内置模板照旧可用；渲染错误也定位到行。
        std::fs::write(dir.join("notice.md.tera"), "# 标题\n{{ x y }}\n").unwrap();
        std::fs::write(dir.join("extra.md.tera"), "# 附加\n\n{{ no_such_var }}\n").unwrap();
        let (t, d) = Templates::load_checked(Some(&dir));
        let d: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].starts_with("错误：") && d[0].contains("notice.md.tera:2:6：模板语法有误"),
            "{d:?}"
        );
        assert!(d[0].contains("\n  提示："), "{d:?}");
        let md = t
            .render("notice.md.tera", &serde_json::json!({"issuer": "办"}))
            .unwrap();
        assert!(md.contains("> 办"), "{md}");
        let e = t
            .render("extra.md.tera", &serde_json::json!({}))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("extra.md.tera:3:4：模板用了不存在的变量“no_such_var”"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
