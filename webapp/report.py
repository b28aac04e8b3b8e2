"""Plain-text reports of a comparison and of a phrase-order answer, for people.

Sentence numbers are 1-based here (R3 = record sentence 3, A2 = account sentence 2);
the JSON keeps the engine's 0-based indices.
"""

from __future__ import annotations

import textwrap

from .collate import Comparison, DiffOp, Link, OrderAnswer, Quote, Telling, WitnessResult
from .collate.tellings import retold_out_of_order
from .resources import resource_dir

_WIDTH = 88


def comparison_report(comparison: Comparison) -> str:
    """Return a readable report: links, moves, omissions, additions, quotation checks."""
    source = comparison.source
    lines = [f"Record: {source.name} ({len(source.sentences)} sentences)", ""]
    for number, witness in enumerate(comparison.witnesses, start=1):
        lines.extend(_witness_report(comparison, witness, number))
    return "\n".join(lines).rstrip() + "\n"


def _witness_report(comparison: Comparison, witness: WitnessResult, number: int) -> list[str]:
    order = witness.order
    tau = "n/a" if order.kendall_tau is None else f"{order.kendall_tau:+.2f}"
    possible = [link for link in witness.links if link.possible_move]
    maybe = (
        f", {len(possible)} possible move{'s' if len(possible) != 1 else ''}" if possible else ""
    )
    again = retold(witness)
    if again:
        maybe += f", {len({id(link) for link, _ in again})} told again out of order (told twice)"
    lines = [
        f"== Account {number}: {witness.name} ({len(witness.sentences)} sentences) ==",
        f"{len(witness.links)} links, {order.moved} moved{maybe}; {len(witness.omitted)} record "
        f"sentences omitted; {len(witness.added)} account sentences added; "
        f"order correlation (Kendall tau) {tau}",
        "",
    ]
    if witness.lexicon:
        lines += [lexicon_line(witness), ""]
    lines.append("Links:")
    for link in witness.links:
        lines.extend(_link_lines(comparison, witness, link))
    lines.append("")
    moved = [link for link in witness.links if link.moved]
    if moved:
        lines.append("Moved (told in a different order from the record):")
        for link in moved:
            lines.append(f"  {_label(link)}: " + _clip(_side(witness, link.witness)))
        lines.append("")
    if again:
        lines.append("Told again out of order (a passage told twice, in place and elsewhere):")
        for link, told in again:
            src = ",".join(f"R{i + 1}" for i in link.source)
            wit = ",".join(f"A{j + 1}" for j in told.witness)
            lines.append(f"  {src} -> {wit}: " + _clip(_side(witness, told.witness)))
        lines.append("")
    if possible:
        lines.append("Possible moves (out of the record's order on weak evidence, not counted):")
        for link in possible:
            lines.append(f"  {_label(link)}: " + _clip(_side(witness, link.witness)))
        lines.append("")
    lines.append(f"Omitted from the record ({len(witness.omitted)}):")
    for i in witness.omitted:
        lines.append(f"  R{i + 1}: " + _clip(comparison.source.sentences[i].text))
    lines.append("")
    lines.append(f"Added in the account ({len(witness.added)}):")
    for j in witness.added:
        lines.append(f"  A{j + 1}: " + _clip(witness.sentences[j].text))
    lines.append("")
    not_verbatim = sum(not quote.verbatim for quote in witness.quotes)
    lines.append(f"Quotations ({len(witness.quotes)}, {not_verbatim} not verbatim in the record):")
    for quote in witness.quotes:
        lines.append(f"  A{quote.witness + 1} “{_clip(quote.text, 60)}”: {_quote_verdict(quote)}")
    lines.append("")
    return lines


def lexicon_line(witness: WitnessResult) -> str:
    """The words read as one in this comparison, learned from its confident links
    (:mod:`.collate.lexicon`), in one sentence for the text report and the printed page."""
    read = "; ".join(f"record “{r.record}” = account “{r.account}”" for r in witness.lexicon)
    return f"Read as one word (learned from the confident links): {read}"


def _quote_verdict(quote: Quote) -> str:
    """exact in R2 / ALTERED in R2, changed words: ... / NOT FOUND in the record."""
    if quote.source is None:
        return "NOT FOUND in the record"
    if quote.verbatim:
        return f"{quote.status} in record sentence R{quote.source + 1}"
    changes = "; ".join(
        f"{c.record or '(nothing)'} -> {c.account or '(dropped)'}" for c in quote.changes
    )
    return f"ALTERED (not verbatim) in record sentence R{quote.source + 1}" + (
        f", changed words (record -> account): {changes}" if changes else ""
    )


def retold(witness: WitnessResult) -> list[tuple[Link, Telling]]:
    """The tellings told again out of order: a link told in place (not moved) with a
    moved telling elsewhere, and that telling."""
    return [(k, t) for k in witness.links if retold_out_of_order(k) for t in k.tellings if t.moved]


def _label(link: Link) -> str:
    src = ",".join(f"R{i + 1}" for i in link.source)
    wit = ",".join(f"A{j + 1}" for j in link.witness)
    return f"{src} -> {wit}"


def _flag(told: Link | Telling) -> str:
    return " MOVED" if told.moved else " POSSIBLE MOVE" if told.possible_move else ""


def _link_lines(comparison: Comparison, witness: WitnessResult, link: Link) -> list[str]:
    src_text = " ".join(comparison.source.sentences[i].text for i in link.source)
    # A passage told twice: each telling on its own line, with its own order flag.
    tellings = [
        f"    telling {','.join(f'A{j + 1}' for j in t.witness)}: {t.kind} {t.score:.2f}"
        + (_flag(t) or " in order")
        for t in link.tellings
    ]
    return [
        f"  {_label(link)}  {link.kind} {link.score:.2f}{_flag(link)}",
        *tellings,
        "    record:  " + _clip(src_text),
        "    account: " + _clip(_side(witness, link.witness)),
        "    changes: " + _clip(_diff_text(link.diff), 200),
    ]


def _side(witness: WitnessResult, indices: tuple[int, ...]) -> str:
    return " ".join(witness.sentences[j].text for j in indices)


def _diff_text(diff: tuple[DiffOp, ...]) -> str:
    """Render a word diff inline: [-deleted-] {+inserted+}."""
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(marks[op.op].format(op.text) for op in diff) or "(none)"


def _clip(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return textwrap.shorten(flat, width=width, placeholder=" …") if len(flat) > width else flat


def order_report(answer: OrderAnswer) -> str:
    """Return the phrase-order verdict per account in plain sentences."""
    lines = [
        f"In the record ({answer.record_name}), “{answer.a.phrase}” is in sentence "
        f"R{answer.a.sentence + 1} and “{answer.b.phrase}” in sentence R{answer.b.sentence + 1}.",
        "",
    ]
    for account in answer.accounts:
        lines.append(f"{account.name}: {account.verdict.upper()}")
        lines.extend(
            textwrap.wrap(account.explanation, _WIDTH, initial_indent="  ", subsequent_indent="  ")
        )
    return "\n".join(lines) + "\n"


def html_report(comparison: Comparison) -> str:
    """Return a self-contained HTML page of the comparison (stylesheet inlined).

    Every text is escaped by Jinja's autoescaping; nothing from a document is marked safe.
    """
    from jinja2 import Environment, FileSystemLoader, select_autoescape  # only HTML needs it

    env = Environment(
        loader=FileSystemLoader(resource_dir("templates")),
        autoescape=select_autoescape(["html"]),
    )
    stylesheet = (resource_dir("static") / "memcon.css").read_text(encoding="utf-8")
    # The stylesheet is the project's own file, the only thing not escaped; it must not
    # be able to close the <style> element.
    if "</" in stylesheet:
        raise ValueError("static/memcon.css must not contain '</'")
    return env.get_template("report.html").render(comparison=comparison, stylesheet=stylesheet)
