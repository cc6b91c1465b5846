//! 归档的单元测试：PDF/A 标识的识别。写包与核验的端到端测试在 tests/integration/archive.rs。

use super::verify::pdfa_identification;

#[test]
fn pdfa_identification_reads_both_xmp_spellings() {
    let elem = b"%PDF-1.7\n<x:xmpmeta><pdfaid:part>2</pdfaid:part><pdfaid:conformance>b</pdfaid:conformance></x:xmpmeta>";
    assert_eq!(pdfa_identification(elem).unwrap(), "PDF/A-2B");
    let attr = b"%PDF-1.4\n<rdf:Description pdfaid:part=\"1\" pdfaid:conformance=\"A\"/>";
    assert_eq!(pdfa_identification(attr).unwrap(), "PDF/A-1A");
    let plain = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj";
    assert!(pdfa_identification(plain)
        .unwrap_err()
        .contains("pdfaid:part"));
    let wrong = b"%PDF-1.7\n<pdfaid:part>9</pdfaid:part>";
    assert!(pdfa_identification(wrong).unwrap_err().contains("9"));
    assert!(pdfa_identification(b"PK\x03\x04")
        .unwrap_err()
        .contains("%PDF-"));
}
