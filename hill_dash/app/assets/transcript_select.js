/*
 * Coding by selection on the transcript page (hill_dash/app/pages/transcript.py; ids in hill_dash/app/ids.py).
 *
 * Each segment's text sits in an element with class "hill-segtext" and data-index = the segment's number. When the
 * researcher selects words inside one segment, or from one segment into a later one, the selection is written to
 * the dcc.Store "transcript-selection" as {first, last, start, end, text}: first/last are segment indices, start is
 * the character offset in the first segment's text and end the (exclusive) offset in the last one's. Offsets are
 * counted on the element's text, which is exactly the segment's text (highlight marks only wrap pieces of it). The
 * server checks every value again; this only saves the coder from typing numbers.
 */
(function () {
    "use strict";

    var STORE = "transcript-selection";

    function segmentOf(node) {
        var el = node && (node.nodeType === 1 ? node : node.parentElement);
        return el ? el.closest(".hill-segtext") : null;
    }

    function offsetIn(container, node, offset) {
        var range = document.createRange();
        range.selectNodeContents(container);
        range.setEnd(node, offset);
        return range.toString().length;
    }

    function read() {
        var sel = window.getSelection();
        if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return null; }
        var range = sel.getRangeAt(0);
        var a = segmentOf(range.startContainer), b = segmentOf(range.endContainer);
        if (!a || !b) { return null; }
        var first = parseInt(a.dataset.index, 10), last = parseInt(b.dataset.index, 10);
        if (isNaN(first) || isNaN(last) || last < first) { return null; }
        var start = offsetIn(a, range.startContainer, range.startOffset);
        var end = offsetIn(b, range.endContainer, range.endOffset);
        if (first === last && end <= start) { return null; }
        return {first: first, last: last, start: start, end: end, text: sel.toString().slice(0, 500)};
    }

    // A dcc.Store has no element in the page; a selection inside a segment's text means the store is there.
    function publish() {
        var dc = window.dash_clientside, chosen = read();
        if (chosen && dc && dc.set_props) { dc.set_props(STORE, {data: chosen}); }
    }

    document.addEventListener("mouseup", publish);
    document.addEventListener("keyup", function (event) {
        if (event.shiftKey) { publish(); }
    });
}());
