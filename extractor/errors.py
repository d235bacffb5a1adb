"""Reading failures as values with stable codes, so a batch can report them and go on."""
from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be turned into blocks.

    `code` is stable and documented (README, "Error codes"); `message` is one Chinese line that
    names the reason and, where there is one, what to do about it.
    """

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


# The codes a reader may raise. Adding one is a README change too.
READ_ERROR_CODES = {
    "empty-file": "文件为空",
    "not-found": "文件不存在或无法打开",
    "unsupported-format": "不支持的文件格式",
    "corrupt-docx": "Word 文件已损坏或不完整",
    "corrupt-pdf": "PDF 文件已损坏或不完整",
    "encrypted": "文件已加密",
    "no-text-layer": "PDF 没有文字层（扫描件）",
    "garbled-text": "PDF 文字层乱码（字体缺少 Unicode 映射）",
    "legacy-format": "旧版 .doc/.wps 文件需要转换",
    "conversion-failed": "旧版 .doc/.wps 文件转换失败",
    "unsafe-content": "文件含有不安全的结构（如 XML 实体声明）",
    "too-large": "文件超出处理上限（页数、解压大小或内存）",
    "timeout": "处理超时",
    "internal-error": "处理时发生内部错误",
    "not-a-report": "文件中没有社会保险基金数据",
    "decode-error": "文本文件编码无法识别",
}
