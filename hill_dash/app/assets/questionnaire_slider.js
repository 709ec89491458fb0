/*
 * Questionnaire sliders (hill_dash/app/views/questionnaire.py, `slider_wrapper`): a slider shows no handle until it
 * is answered, and any click on its line answers it, the middle and the ends included.
 *
 * The wrapper carries the class "hill-untouched" until then, with the scale in data-min / data-max / data-step.
 * The slider itself sets its value where the line is pressed; when the press lands where its hidden handle already
 * sits (the scale's start), the slider sees no change, so the value is set here from the pointer's position.
 */
(function () {
    "use strict";

    var UNTOUCHED = "hill-untouched";

    function wrapperOf(target) {
        return target && target.closest ? target.closest(".hill-q-slider." + UNTOUCHED) : null;
    }

    function sliderId(wrapper) {
        var root = wrapper.querySelector(".dash-slider-container");
        if (!root || !root.id) {
            return null;
        }
        try {
            return JSON.parse(root.id);
        } catch (e) {
            return root.id;
        }
    }

    function valueAt(wrapper, clientX) {
        var track = wrapper.querySelector(".dash-slider-track") || wrapper.querySelector(".dash-slider-root");
        var box = track.getBoundingClientRect();
        var low = Number(wrapper.dataset.min), high = Number(wrapper.dataset.max);
        var step = Number(wrapper.dataset.step) || (high - low) / 100;
        var share = Math.min(1, Math.max(0, (clientX - box.left) / Math.max(1, box.width)));
        var value = low + Math.round(share * (high - low) / step) * step;
        return Math.min(high, Math.max(low, Number(value.toFixed(6))));
    }

    function answered(wrapper) {
        wrapper.classList.remove(UNTOUCHED);
    }

    document.addEventListener("pointerdown", function (event) {
        var wrapper = wrapperOf(event.target);
        if (!wrapper) {
            return;
        }
        var thumb = wrapper.querySelector("[role='slider']");
        var before = thumb ? thumb.getAttribute("aria-valuenow") : null;
        var value = valueAt(wrapper, event.clientX);
        answered(wrapper);
        var id = sliderId(wrapper);
        setTimeout(function () {
            var now = thumb ? thumb.getAttribute("aria-valuenow") : null;
            var dc = window.dash_clientside;
            if (id !== null && now === before && dc && dc.set_props) {
                dc.set_props(id, {value: value});
            }
        }, 150);
    }, true);

    document.addEventListener("keydown", function (event) {
        var wrapper = wrapperOf(event.target);
        if (wrapper && /^(Arrow|Page|Home|End)/.test(event.key)) {
            answered(wrapper);
        }
    }, true);
})();
