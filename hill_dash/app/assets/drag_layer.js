/*
 * The drag layer of the latent editor: a plain SVG laid over the plot area that shows the points (and centre
 * cross) being dragged and follows the pointer with one transform per mouse move.
 *
 * Why not restyle a Plotly trace per move: every Plotly.restyle/relayout redraws the whole WebGL scene, so
 * its cost grows with the figure, not with the change; bench/editor_render.py measures a one-point restyle
 * at hundreds of times a layer move. Moving this layer costs the same for one point or a class of
 * thousands; Plotly is touched when the points are hidden at the start and when they land.
 */
(function () {
    "use strict";

    var SVG_NS = "http://www.w3.org/2000/svg";

    function element(name, attributes) {
        var node = document.createElementNS(SVG_NS, name);
        Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
        return node;
    }

    function styleOf(trace, k) {
        var marker = trace.marker || {};
        var line = marker.line || {};
        var pick = function (value) { return value !== null && typeof value === "object" ? value[k] : value; };
        return {fill: pick(marker.color) || "#444", size: pick(marker.size) || 6,
                stroke: pick(line.color) || "black", strokeWidth: pick(line.width) || 0};
    }

    function cross(x, y, size, colour) {
        var h = size / 2;
        var path = "M" + (x - h) + "," + (y - h) + "L" + (x + h) + "," + (y + h) +
                   "M" + (x - h) + "," + (y + h) + "L" + (x + h) + "," + (y - h);
        return element("path", {d: path, stroke: colour, "stroke-width": Math.max(3, size / 4),
                                "stroke-linecap": "round", fill: "none"});
    }

    /*
     * Open a layer over gd's plot area inside root showing `members` ({trace, point, x, y} in data units) and,
     * when given, a centre cross {x, y, trace}.
     */
    function open(root, gd, members, centre) {
        var layout = gd._fullLayout;
        var size = layout._size;
        var rootBox = root.getBoundingClientRect();
        var gdBox = gd.getBoundingClientRect();
        var svg = element("svg", {"class": "hill-drag-layer", width: size.w, height: size.h});
        svg.style.left = (gdBox.left - rootBox.left + size.l) + "px";
        svg.style.top = (gdBox.top - rootBox.top + size.t) + "px";
        var group = element("g", {});
        members.forEach(function (m) {
            var style = styleOf(gd._fullData[m.trace], m.point);
            group.appendChild(element("circle", {
                cx: layout.xaxis.d2p(m.x), cy: layout.yaxis.d2p(m.y), r: style.size / 2, fill: style.fill,
                stroke: style.stroke, "stroke-width": style.strokeWidth
            }));
        });
        if (centre) {
            var style = styleOf(gd._fullData[centre.trace], 0);
            group.appendChild(cross(layout.xaxis.d2p(centre.x), layout.yaxis.d2p(centre.y), style.size, style.fill));
        }
        svg.appendChild(group);
        root.appendChild(svg);
        return {svg: svg, group: group};
    }

    function move(layer, dx, dy) {
        layer.group.setAttribute("transform", "translate(" + dx + "," + dy + ")");
    }

    function close(layer) {
        if (layer && layer.svg.parentNode) {
            layer.svg.parentNode.removeChild(layer.svg);
        }
    }

    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.hill = Object.assign(window.dash_clientside.hill || {}, {
        dragLayer: {open: open, move: move, close: close}
    });
})();
