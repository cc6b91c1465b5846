//! 模板：内置模板用 `include_str!` 嵌入；`templates/` 目录下的同名文件覆盖内置模板，
//! 目录里其他 `*.tera` 文件作为新模板加入。模板产出 Markdown，再转为文档模型。

use serde::Serialize;
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
        "return.md.tera",
        include_str!("assets/templates/return.md.tera"),
    ),
];

/// 模板错误。
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("模板 {name} 有误：{message}")]
    Invalid { name: String, message: String },
    #[error("没有名为 {0} 的模板")]
    Missing(String),
    #[error("无法读取模板：{0}")]
    Read(#[from] crate::textfile::ReadError),
}

/// 已加载的模板集合。
pub struct Templates {
    tera: tera::Tera,
    /// 每个模板的来源（“内置”或文件路径），按名称排序。
    sources: Vec<(String, String)>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("sources", &self.sources)
            .finish()
    }
}

/// tera 的错误链合成一行中文可读的说明。
fn tera_message(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push('：');
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

impl Templates {
    /// 加载内置模板，再用 `override_dir` 中的同名文件覆盖（目录不存在时只用内置模板）。
    pub fn load(override_dir: Option<&Path>) -> Result<Self, TemplateError> {
        let mut entries: Vec<(String, String, String)> = BUILTIN
            .iter()
            .map(|(n, c)| (n.to_string(), c.to_string(), "内置".to_string()))
            .collect();
        if let Some(dir) = override_dir.filter(|d| d.is_dir()) {
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .map_err(|e| TemplateError::Invalid {
                    name: dir.display().to_string(),
                    message: format!("无法读取模板目录：{e}"),
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "tera"))
                .collect();
            files.sort();
            for path in files {
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                let text = crate::textfile::read(&path)?;
                entries.retain(|(n, _, _)| *n != name);
                entries.push((name, text, path.display().to_string()));
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut tera = tera::Tera::default();
        for (name, text, src) in &entries {
            tera.add_raw_template(name, text)
                .map_err(|e| TemplateError::Invalid {
                    name: src.clone(),
                    message: tera_message(&e),
                })?;
        }
        let sources = entries.into_iter().map(|(n, _, s)| (n, s)).collect();
        Ok(Self { tera, sources })
    }

    /// 加载一个单独的模板文件（`duban render 路径`），名称为文件名。
    pub fn add_file(&mut self, path: &Path) -> Result<String, TemplateError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| path.display().to_string());
        let text = crate::textfile::read(path)?;
        self.tera
            .add_raw_template(&name, &text)
            .map_err(|e| TemplateError::Invalid {
                name: path.display().to_string(),
                message: tera_message(&e),
            })?;
        self.sources.retain(|(n, _)| *n != name);
        self.sources
            .push((name.clone(), path.display().to_string()));
        Ok(name)
    }

    /// 模板名及来源，按名称排序。
    pub fn sources(&self) -> &[(String, String)] {
        &self.sources
    }

    /// 用视图结构渲染模板，得到 Markdown 文本。
    pub fn render(&self, name: &str, ctx: &impl Serialize) -> Result<String, TemplateError> {
        if !self.sources.iter().any(|(n, _)| n == name) {
            return Err(TemplateError::Missing(name.into()));
        }
        let ctx = tera::Context::from_serialize(ctx).map_err(|e| TemplateError::Invalid {
            name: name.into(),
            message: tera_message(&e),
        })?;
        self.tera
            .render(name, &ctx)
            .map_err(|e| TemplateError::Invalid {
                name: name.into(),
                message: tera_message(&e),
            })
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
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(md.trim(), "# 覆盖 1");
    }
}
