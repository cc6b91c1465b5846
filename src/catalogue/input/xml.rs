//! 很小的 XML 元素树（quick-xml 逐个事件读，建成树便于按路径查找）。名称一律去掉命名空间前缀：
//! Word 的 `w:p` 记作 `p`，属性 `w:val` 记作 `val`。

use quick_xml::events::Event;

/// 一个元素。
#[derive(Debug, Default)]
pub(super) struct Node {
    pub(super) name: String,
    pub(super) attrs: Vec<(String, String)>,
    pub(super) children: Vec<Child>,
}

/// 元素的子项：元素或文字。
#[derive(Debug)]
pub(super) enum Child {
    Node(Node),
    Text(String),
}

fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => name.to_string(),
    }
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Node {
    let attrs = e
        .attributes()
        .flatten()
        .map(|a| {
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string());
            (local(a.key.as_ref()), v)
        })
        .collect();
    Node {
        name: local(e.name().as_ref()),
        attrs,
        children: Vec::new(),
    }
}

/// 解析整篇 XML，返回根元素。出错时返回英文原因之外的中文说明由调用方加。
pub(super) fn parse(xml: &str) -> Result<Node, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Node> = vec![Node::default()];
    let push_text = |stack: &mut Vec<Node>, t: String| {
        if let Some(top) = stack.last_mut() {
            if let Some(Child::Text(prev)) = top.children.last_mut() {
                prev.push_str(&t);
            } else {
                top.children.push(Child::Text(t));
            }
        }
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => stack.push(element(&e)),
            Ok(Event::Empty(e)) => {
                let n = element(&e);
                if let Some(top) = stack.last_mut() {
                    top.children.push(Child::Node(n));
                }
            }
            Ok(Event::End(_)) => {
                if stack.len() > 1 {
                    let n = stack.pop().unwrap_or_default();
                    if let Some(top) = stack.last_mut() {
                        top.children.push(Child::Node(n));
                    }
                }
            }
            Ok(Event::Text(t)) => push_text(&mut stack, t.xml10_content().into_owned()),
            Ok(Event::CData(t)) => push_text(&mut stack, t.into_inner().into_owned()),
            Ok(Event::GeneralRef(r)) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => {
                        let name = r.xml10_content();
                        quick_xml::escape::resolve_xml_entity(&name)
                            .unwrap_or_default()
                            .to_string()
                    }
                };
                push_text(&mut stack, c);
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(format!(
                    "第 {} 字节处 XML 有误（{e}）",
                    reader.buffer_position()
                ))
            }
        }
    }
    // 没有闭合的元素依次收起。
    while stack.len() > 1 {
        let n = stack.pop().unwrap_or_default();
        if let Some(top) = stack.last_mut() {
            top.children.push(Child::Node(n));
        }
    }
    let root = stack.pop().unwrap_or_default();
    let first = root.children.into_iter().find_map(|c| match c {
        Child::Node(n) => Some(n),
        Child::Text(_) => None,
    });
    first.ok_or_else(|| "文件里没有 XML 元素".to_string())
}

impl Node {
    /// 属性值（按去掉前缀的名称）。
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// 直接子元素。
    pub(super) fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.children.iter().filter_map(|c| match c {
            Child::Node(n) => Some(n),
            Child::Text(_) => None,
        })
    }
    /// 第一个叫 `name` 的直接子元素。
    pub(super) fn child(&self, name: &str) -> Option<&Node> {
        self.nodes().find(|n| n.name == name)
    }
    /// 沿路径往下找（每一步取第一个同名子元素）。
    pub(super) fn path(&self, names: &[&str]) -> Option<&Node> {
        names.iter().try_fold(self, |n, name| n.child(name))
    }
    /// 路径末端元素的 `val` 属性。
    pub(super) fn val(&self, names: &[&str]) -> Option<&str> {
        self.path(names).and_then(|n| n.attr("val"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_with_prefixes_entities_and_text() {
        let n = parse(r#"<?xml version="1.0"?><w:p xmlns:w="x"><w:r><w:t xml:space="preserve">甲 &amp; 乙&#x4E19;</w:t></w:r><w:numPr><w:ilvl w:val="1"/></w:numPr></w:p>"#).unwrap();
        assert_eq!(n.name, "p");
        assert_eq!(n.val(&["numPr", "ilvl"]), Some("1"));
        let t = n.path(&["r", "t"]).unwrap();
        match &t.children[0] {
            Child::Text(s) => assert_eq!(s, "甲 & 乙丙"),
            Child::Node(_) => panic!(),
        }
        assert!(parse("not xml").is_err());
    }
}
