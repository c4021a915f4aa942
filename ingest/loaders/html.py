"""HTML with the standard library parser: headings give the path, p/li/td give blocks."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from ingest.loaders.errors import LoadError
from ingest.loaders.text import read_text_file
from ingest.models import Block, Document

_BLOCK_TAGS = {"p", "li", "td", "th", "dd", "dt", "blockquote", "pre", "caption"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "nav", "footer"}


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.headings: list[tuple[int, str]] = []
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._heading_level = 0
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self._flush()
            self._heading_level = int(tag[1])
        elif tag in _BLOCK_TAGS or tag == "br":
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif self._heading_level and len(tag) == 2 and tag[0] == "h":
            text = " ".join("".join(self._text).split())
            self._text.clear()
            level = self._heading_level
            self._heading_level = 0
            if text:
                self.headings = [h for h in self.headings if h[0] < level] + [(level, text)]
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self._text.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        self._text.clear()
        if text and not self._heading_level:
            self.blocks.append(Block(text=text, heading_path=[h for _, h in self.headings]))

    def close(self) -> None:
        super().close()
        self._flush()


def load_html(path: Path, *, doc_id: str, source: str) -> Document:
    parser = _Extractor()
    parser.feed(read_text_file(path))
    parser.close()
    if not parser.blocks:
        raise LoadError("de HTML-pagina bevat geen leesbare tekst")
    title = " ".join(parser.title.split()) or (parser.headings[0][1] if parser.headings else path.stem)
    for block in parser.blocks:
        if not block.heading_path:
            block.heading_path = [title]
    return Document(doc_id=doc_id, title=title, source=source, blocks=parser.blocks, doc_type="html")
