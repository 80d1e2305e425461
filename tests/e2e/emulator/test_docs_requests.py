"""Each documents.batchUpdate request kind, its errors, and index arithmetic over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from functions.adapters.clients import Clients
from tests.e2e.emulator.test_docs_core import USER, body_text, checked, get, new_doc, update

READER = "gv.b@sgddt-demo.edu.vn"


@pytest.fixture
def docs(as_user: Callable[[str], Clients]) -> Any:
    return as_user(USER).service("docs")


def refused(docs: Any, document_id: str, *requests: dict[str, Any]) -> str:
    with pytest.raises(HttpError) as raised:
        update(docs, document_id, *requests)
    assert raised.value.resp.status == 400, raised.value
    return str(raised.value.reason)


def with_text(docs: Any, text: str) -> str:
    document_id = new_doc(docs)
    update(docs, document_id, {"insertText": {"location": {"index": 1}, "text": text}})
    return document_id


def test_a_misspelled_field_is_refused_with_googles_message_and_the_corrected_call_succeeds(
        docs: Any) -> None:
    document_id = new_doc(docs)
    message = refused(docs, document_id, {"insertText": {"locaton": {"index": 1}, "text": "x"}})
    assert message == ('Invalid JSON payload received. Unknown name "locaton" at '
                       "'requests[0].insert_text': Cannot find field.")
    update(docs, document_id, {"insertText": {"location": {"index": 1}, "text": "x"}})
    assert body_text(get(docs, document_id)) == "x\n"


def test_deleting_a_range_merges_paragraphs_and_keeps_the_final_newline(docs: Any) -> None:
    document_id = with_text(docs, "Một\nHai\nBa")
    update(docs, document_id, {"deleteContentRange": {"range": {"startIndex": 3,
                                                                "endIndex": 7}}})
    assert body_text(get(docs, document_id)) == "Mội\nBa\n"
    message = refused(docs, document_id, {"deleteContentRange": {"range": {
        "startIndex": 1, "endIndex": 8}}})
    assert message == ("Invalid requests[0].deleteContentRange: The range cannot include the "
                       "newline character at the end of the segment.")
    message = refused(docs, document_id, {"deleteContentRange": {"range": {
        "startIndex": 1, "endIndex": 9}}})
    assert message == ("Invalid requests[0].deleteContentRange: Index 9 must be less than the "
                       "end index of the referenced segment, 8.")


def test_inserting_at_a_table_start_is_refused(docs: Any) -> None:
    document_id = with_text(docs, "ab")
    update(docs, document_id, {"insertTable": {"rows": 1, "columns": 1,
                                               "location": {"index": 3}}})
    table = next(e for e in get(docs, document_id)["body"]["content"] if "table" in e)
    assert table["startIndex"] == 4
    message = refused(docs, document_id, {"insertText": {"location": {"index": 4}, "text": "x"}})
    assert message.endswith("The insertion index must be inside the bounds of an existing "
                            "paragraph. You can still create new paragraphs by inserting "
                            "newlines.")


def test_a_table_occupies_indexes_for_its_start_rows_and_cells(docs: Any) -> None:
    document_id = new_doc(docs)
    update(docs, document_id, {"insertTable": {"rows": 2, "columns": 2,
                                               "location": {"index": 1}}})
    table = get(docs, document_id)["body"]["content"][2]
    cells = [cell["content"][0]["startIndex"] for row in table["table"]["tableRows"]
             for cell in row["tableCells"]]
    assert (table["startIndex"], table["endIndex"]) == (2, 13)
    assert cells == [5, 7, 10, 12]  # where a text goes into each cell
    # Fill from the last cell to the first so that earlier indexes stay valid.
    update(docs, document_id, *({"insertText": {"location": {"index": i}, "text": t}}
                                for i, t in zip(reversed(cells), "DCBA", strict=True)))
    update(docs, document_id, {"insertTableRow": {"tableCellLocation": {
        "tableStartLocation": {"index": 2}, "rowIndex": 1, "columnIndex": 0},
        "insertBelow": True}})
    table = get(docs, document_id)["body"]["content"][2]["table"]
    assert table["rows"] == 3
    texts = [[cell["content"][0]["paragraph"]["elements"][0]["textRun"]["content"]
              for cell in row["tableCells"]] for row in table["tableRows"]]
    assert texts == [["A\n", "B\n"], ["C\n", "D\n"], ["\n", "\n"]]


def test_replace_all_text_counts_occurrences_and_respects_match_case(docs: Any) -> None:
    document_id = with_text(docs, "{{TEN}} và {{ten}}\n{{TEN}}")
    answer = update(docs, document_id,
                    {"replaceAllText": {"containsText": {"text": "{{TEN}}", "matchCase": True},
                                        "replaceText": "Trường A"}},
                    {"replaceAllText": {"containsText": {"text": "không có"},
                                        "replaceText": "x"}},
                    {"replaceAllText": {"containsText": {"text": "{{TEN}}"},
                                        "replaceText": "B"}})
    assert answer["replies"] == [{"replaceAllText": {"occurrencesChanged": 2}},
                                 {"replaceAllText": {}},
                                 {"replaceAllText": {"occurrencesChanged": 1}}]
    assert body_text(get(docs, document_id)) == "Trường A và B\nTrường A\n"


def test_text_and_paragraph_styles_apply_to_their_field_masks(docs: Any) -> None:
    document_id = with_text(docs, "Tiêu đề\nNội dung")
    update(docs, document_id,
           {"updateTextStyle": {"range": {"startIndex": 1, "endIndex": 4},
                                "textStyle": {"bold": True, "italic": True,
                                              "fontSize": {"magnitude": 14, "unit": "PT"},
                                              "weightedFontFamily": {
                                                  "fontFamily": "Times New Roman"}},
                                "fields": "bold,fontSize,weightedFontFamily"}},
           {"updateParagraphStyle": {"range": {"startIndex": 1, "endIndex": 2},
                                     "paragraphStyle": {"namedStyleType": "HEADING_1",
                                                        "alignment": "CENTER"},
                                     "fields": "namedStyleType,alignment"}},
           {"updateParagraphStyle": {"range": {"startIndex": 10, "endIndex": 12},
                                     "paragraphStyle": {"alignment": "JUSTIFIED"},
                                     "fields": "alignment"}})
    heading, normal = get(docs, document_id)["body"]["content"][1:3]
    first = heading["paragraph"]["elements"][0]["textRun"]
    assert first == {"content": "Tiê", "textStyle": {
        "bold": True, "fontSize": {"magnitude": 14, "unit": "PT"},
        "weightedFontFamily": {"fontFamily": "Times New Roman", "weight": 400}}}
    assert heading["paragraph"]["paragraphStyle"]["namedStyleType"] == "HEADING_1"
    assert heading["paragraph"]["paragraphStyle"]["alignment"] == "CENTER"
    assert normal["paragraph"]["paragraphStyle"]["alignment"] == "JUSTIFIED"
    update(docs, document_id, {"updateTextStyle": {"range": {"startIndex": 1, "endIndex": 4},
                                                   "textStyle": {}, "fields": "bold"}})
    first = get(docs, document_id)["body"]["content"][1]["paragraph"]["elements"][0]["textRun"]
    assert "bold" not in first["textStyle"]


def test_document_and_section_styles_set_page_size_margins_and_orientation(docs: Any) -> None:
    document_id = with_text(docs, "Nội dung")
    a4 = {"width": {"magnitude": 595.3, "unit": "PT"}, "height": {"magnitude": 841.9,
                                                                  "unit": "PT"}}
    update(docs, document_id,
           {"updateDocumentStyle": {"documentStyle": {
               "pageSize": a4, "marginLeft": {"magnitude": 85, "unit": "PT"},
               "useFirstPageHeaderFooter": True},
               "fields": "pageSize,marginLeft,useFirstPageHeaderFooter"}},
           {"updateSectionStyle": {"range": {"startIndex": 1, "endIndex": 2},
                                   "sectionStyle": {"flipPageOrientation": True},
                                   "fields": "flipPageOrientation"}})
    document = get(docs, document_id)
    style = document["documentStyle"]
    assert style["pageSize"] == a4
    assert style["marginLeft"] == {"magnitude": 85, "unit": "PT"}
    assert style["useFirstPageHeaderFooter"] is True
    assert document["body"]["content"][0]["sectionBreak"]["sectionStyle"][
        "flipPageOrientation"] is True


def test_headers_footers_and_page_breaks(docs: Any) -> None:
    document_id = with_text(docs, "Trang một")
    answer = update(docs, document_id, {"createHeader": {"type": "DEFAULT"}},
                    {"createFooter": {"type": "DEFAULT"}},
                    {"insertPageBreak": {"endOfSegmentLocation": {}}})
    header_id = answer["replies"][0]["createHeader"]["headerId"]
    footer_id = answer["replies"][1]["createFooter"]["footerId"]
    assert answer["replies"][2] == {}
    update(docs, document_id, {"insertText": {"location": {"segmentId": header_id, "index": 0},
                                              "text": "SỞ GD&ĐT"}})
    document = get(docs, document_id)
    assert document["documentStyle"]["defaultHeaderId"] == header_id
    assert document["documentStyle"]["defaultFooterId"] == footer_id
    header = document["headers"][header_id]["content"][0]
    assert header["endIndex"] == 9
    assert header["paragraph"]["elements"][0]["textRun"]["content"] == "SỞ GD&ĐT\n"
    elements = document["body"]["content"][1]["paragraph"]["elements"]
    assert "pageBreak" in elements[-2]
    message = refused(docs, document_id, {"createHeader": {"type": "DEFAULT"}})
    assert message.startswith("Invalid requests[0].createHeader:")


def test_write_control_refuses_a_stale_revision(docs: Any) -> None:
    document_id = new_doc(docs)
    revision = get(docs, document_id)["revisionId"]
    answer = docs.documents().batchUpdate(documentId=document_id, body={
        "requests": [{"insertText": {"location": {"index": 1}, "text": "a"}}],
        "writeControl": {"requiredRevisionId": revision}}).execute()
    assert checked("BatchUpdateDocumentResponse", answer)["writeControl"][
        "requiredRevisionId"] != revision
    with pytest.raises(HttpError) as raised:
        docs.documents().batchUpdate(documentId=document_id, body={
            "requests": [{"insertText": {"location": {"index": 1}, "text": "b"}}],
            "writeControl": {"requiredRevisionId": revision}}).execute()
    assert raised.value.resp.status == 400
    assert body_text(get(docs, document_id)) == "a\n"


def test_a_failed_request_leaves_the_whole_batch_unapplied(docs: Any) -> None:
    document_id = with_text(docs, "abc")
    message = refused(docs, document_id,
                      {"insertText": {"location": {"index": 1}, "text": "X"}},
                      {"insertText": {"location": {"index": 50}, "text": "Y"}})
    assert message.startswith("Invalid requests[1].insertText: Index 50 must be less than")
    assert body_text(get(docs, document_id)) == "abc\n"


def test_a_reader_may_get_but_not_update(docs: Any, as_user: Callable[[str], Clients]) -> None:
    document_id = with_text(docs, "abc")
    drive = as_user(USER).service("drive")
    drive.permissions().create(fileId=document_id, body={
        "type": "user", "role": "reader", "emailAddress": READER}).execute()
    reader = as_user(READER).service("docs")
    assert body_text(reader.documents().get(documentId=document_id).execute()) == "abc\n"
    with pytest.raises(HttpError) as raised:
        reader.documents().batchUpdate(documentId=document_id, body={"requests": [
            {"insertText": {"location": {"index": 1}, "text": "x"}}]}).execute()
    assert raised.value.resp.status == 403
    with pytest.raises(HttpError) as raised:
        reader.documents().get(documentId="khong-co").execute()
    assert raised.value.resp.status == 404


def test_tabs_content_moves_the_body_into_the_first_tab(docs: Any) -> None:
    document_id = with_text(docs, "abc")
    document = checked("Document", docs.documents().get(documentId=document_id,
                                                         includeTabsContent=True).execute())
    assert "body" not in document
    tab = document["tabs"][0]
    assert tab["tabProperties"]["tabId"] == "t.0"
    assert tab["documentTab"]["body"]["content"][1]["endIndex"] == 5


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


operations = st.lists(st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 40), st.text("ab\nế😀 ", min_size=1,
                                                           max_size=6)),
    st.tuples(st.just("delete"), st.integers(0, 40), st.integers(1, 5)),
), min_size=1, max_size=8)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_indexes_follow_inserts_and_deletes_in_utf16_units(docs: Any, ops: list[Any]) -> None:
    document_id = new_doc(docs)
    model = ""
    requests = []
    for kind, at, arg in ops:
        at = min(at, len(model))
        if kind == "insert":
            requests.append({"insertText": {"location": {"index": 1 + units(model[:at])},
                                            "text": arg}})
            model = model[:at] + arg + model[at:]
        elif at < len(model):
            end = min(len(model), at + arg)
            requests.append({"deleteContentRange": {"range": {
                "startIndex": 1 + units(model[:at]), "endIndex": 1 + units(model[:end])}}})
            model = model[:at] + model[end:]
    if requests:
        update(docs, document_id, *requests)
    document = get(docs, document_id)
    assert body_text(document) == model + "\n"
    position = 0
    for element in document["body"]["content"]:
        assert element.get("startIndex", 0) == position
        for run in element.get("paragraph", {}).get("elements", []):
            assert run["endIndex"] - run.get("startIndex", 0) == units(
                run["textRun"]["content"])
        position = element["endIndex"]
    assert position == 1 + units(model) + 1
