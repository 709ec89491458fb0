/*
 * Arrow mode of the latent editor: press on a point, release where its true-class score should fall, and ONE
 * edit {kind: "arrow", indices: [i], arrow: [dx, dy], old: [[x, y]], new: [[x, y]], class_id, epoch, timestamp}
 * (x, y: the point's shown position, which stays as it is) goes into the same store as
 * the drags of latent_editor.js, whose hit testing and release it uses (window.dash_clientside.hill). The
 * arrow runs in data units from the point's shown position to the release; while the pointer moves, a line in
 * the drag layer (drag_layer.js) follows it, and on release the arrow is drawn as the server will redraw it.
 *
 * Why a press-and-release gesture rather than Plotly's drawline: latent_editor.js already owns presses on points
 * (they start drags), so a drawn line would fight it; here the one hit test decides which point an arrow
 * belongs to, at marker size in pixels, and no line has to be snapped to a point after the fact.
 *
 * The mode is the class "hill-arrow-mode" on an ancestor of the editor, set from a switch by `editMode`.
 */
(function () {
    "use strict";

    var SVG_NS = "http://www.w3.org/2000/svg";
    var MIN_LENGTH_PX = 6;
    var gesture = null;

    function hill() {
        return window.dash_clientside.hill;
    }

    function inArrowMode(root) {
        return !!root.closest(".hill-arrow-mode");
    }

    function onMouseDown(event) {
        if (event.button !== 0 || !hill().editorOf) {
            return;
        }
        var editor = hill().editorOf(event.target);
        if (!editor || !inArrowMode(editor.root)) {
            return;
        }
        var gd = editor.gd;
        var px = hill().toPlotPixels(gd, event);
        var hit = hill().insidePlot(gd, px) ? hill().hitTest(gd, px, ["points"]) : null;
        if (!hit) {
            return;
        }
        // Stop Plotly from starting its own zoom/select drag on the same press.
        event.stopPropagation();
        event.preventDefault();
        var from = hill().member(gd, hit.trace, hit.point);
        gesture = {gd: gd, root: editor.root, from: from, classId: hit.classId, epoch: hill().epochOf(gd),
                   fromPx: {x: gd._fullLayout.xaxis.d2p(from.x), y: gd._fullLayout.yaxis.d2p(from.y)},
                   layer: null, line: null};
    }

    function follow(event) {
        var px = hill().toPlotPixels(gesture.gd, event);
        if (!gesture.layer) {
            gesture.layer = hill().dragLayer.open(gesture.root, gesture.gd, [], null);
            gesture.line = document.createElementNS(SVG_NS, "line");
            gesture.line.setAttribute("x1", gesture.fromPx.x);
            gesture.line.setAttribute("y1", gesture.fromPx.y);
            gesture.line.setAttribute("stroke", "black");
            gesture.line.setAttribute("stroke-width", 2);
            gesture.layer.group.appendChild(gesture.line);
        }
        gesture.line.setAttribute("x2", px.x);
        gesture.line.setAttribute("y2", px.y);
    }

    function onMouseMove(event) {
        if (!gesture) {
            return;
        }
        event.stopPropagation();
        follow(event);
    }

    /* The arrow as views/editor.py draws stored arrows (latent_figure.direction_arrows). */
    function annotate(gd, from, to) {
        var update = {};
        update["annotations[" + (gd.layout.annotations || []).length + "]"] = {
            x: to.x, y: to.y, ax: from.x, ay: from.y, xref: "x", yref: "y", axref: "x", ayref: "y", text: "",
            showarrow: true, arrowhead: 2, arrowsize: 1.2, arrowwidth: 2, arrowcolor: "black",
            name: "arrow-" + from.index
        };
        window.Plotly.relayout(gd, update);
    }

    function onMouseUp(event) {
        if (!gesture) {
            return;
        }
        event.stopPropagation();
        var done = gesture;
        gesture = null;
        try {
            var px = hill().toPlotPixels(done.gd, event);
            if (Math.hypot(px.x - done.fromPx.x, px.y - done.fromPx.y) < MIN_LENGTH_PX) {
                return;
            }
            var to = hill().toData(done.gd, px);
            var at = [done.from.x, done.from.y];
            hill().release(done.root, {
                kind: "arrow",
                indices: [done.from.index],
                arrow: [to.x - done.from.x, to.y - done.from.y],
                // where the arrow was drawn from; the point itself does not move
                old: [at],
                "new": [at],
                class_id: done.classId === undefined ? null : done.classId,
                epoch: done.epoch,
                timestamp: performance.timeOrigin + event.timeStamp
            });
            window.setTimeout(function () { annotate(done.gd, done.from, to); }, 0);
        } finally {
            hill().dragLayer.close(done.layer);
        }
    }

    document.addEventListener("mousedown", onMouseDown, true);
    document.addEventListener("mousemove", onMouseMove, true);
    document.addEventListener("mouseup", onMouseUp, true);

    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.hill = Object.assign(window.dash_clientside.hill || {}, {
        /* Clientside callback: the editor wrapper's class for the arrow-mode switch's value. */
        editMode: function (on) {
            return on ? "hill-arrow-mode" : "";
        }
    });
})();
