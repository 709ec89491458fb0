"""What every column of a study export means: the documentation written into its `datapackage.json`."""

from __future__ import annotations

from analysis.package import Field as F
from analysis.package import Table

P = F("participant code as the study numbers them (P1, P2, ...); empty for baseline runs")
SC = F("scenario id (the dataset and model a run trains)")
RUN = F("run id (unique in the study's store)", type="integer")
SIM = F("simulated: made by a simulated participant or `hill-dash demo-study`, not by a person")
AT = F("when it happened", unit="ISO 8601 UTC")
ACC = "accuracy as a fraction of the split's examples"

LOSSES = {name: F(f"mean {what} over the epoch's batches", unit="loss") for name, what in (
    ("loss_total", "training loss (the weighted sum of the terms below)"), ("loss_ce", "cross-entropy term"),
    ("loss_human", "human (latent-edit) term"), ("loss_scale", "scale term"),
    ("loss_direction", "direction (arrow) term"))}

DOCS: dict[str, Table] = {
    "participants": Table("One row per participant of the study.", {
        "participant": F("participant code (P1, P2, ...)"),
        "status": F("where the participant is: invited, started, finished, withdrawn, ..."),
        "scenario_order": F("the scenarios in the order this participant met them, separated by ' > '"),
        "simulated": SIM,
        "created_at": F("when the participant's link was created", unit="ISO 8601 UTC"),
        "updated_at": F("the participant's last recorded step", unit="ISO 8601 UTC"),
        "first_answer_at": F("the participant's first stored answer (consent included)", unit="ISO 8601 UTC"),
        "last_answer_at": F("the participant's last stored answer", unit="ISO 8601 UTC"),
    }, ("participant",)),
    "participant_scenarios": Table("One row per participant and scenario: the counterbalanced order.", {
        "participant": P, "scenario": SC,
        "position": F("1 for the scenario the participant met first, 2 for the second, ...", type="integer"),
    }, ("participant", "scenario")),
    "runs": Table("One row per training run (participants' HILL runs and baseline seed runs), with its settings.", {
        "run_id": RUN, "scenario": SC,
        "condition": F("hill (a participant or a simulated user steered it) or baseline (alpha = 0, seed band)"),
        "participant": P,
        "seed": F("training seed: model initialisation and batch order", type="integer"),
        "alpha": F("weight of the human term in the loss (0 for baseline runs)"),
        "lam": F("lambda: weight of the scale term"),
        "teacher": F("how the human term teaches the model (the run config's `teacher`)"),
        "adaptive_alpha": F("alpha was lowered after rounds that left accuracy below the baseline band", type="boolean"),
        "interaction_epochs": F("epochs after which the participant edited the latent space", type="array"),
        "end_epoch": F("the epoch training ends at", type="integer"),
        "status": F("the run's status in the store (finished runs are the ones analysed)"),
        "simulated": SIM,
        "created_at": AT, "finished_at": F("when training finished", unit="ISO 8601 UTC"),
        "config": F("the run's full stored configuration", type="object"),
        "environment": F("package versions, commit and device recorded when the run trained (empty if not recorded)",
                         type="object"),
    }, ("run_id",)),
    "epochs": Table("One row per run and epoch: what training measured.", {
        "run_id": RUN, "participant": P, "scenario": SC,
        "condition": F("hill or baseline (see runs)"), "seed": F("training seed", type="integer"),
        "epoch": F("epoch number, the same numbering for every run of a scenario", type="integer"),
        "phase": F("pretrain (the shared checkpoint and before) or interactive (after the first interaction point)"),
        "interaction_point": F("this epoch ends at an interaction point", type="boolean"),
        "val_acc": F(f"validation {ACC}", unit="fraction"), "val_macro_f1": F("validation macro F1", unit="fraction"),
        "test_acc": F(f"test {ACC}; never shown to participants", unit="fraction"),
        "test_macro_f1": F("test macro F1; never shown to participants", unit="fraction"),
        **LOSSES, "simulated": SIM, "status": F("the run's status"),
    }, ("run_id", "epoch")),
    "edits": Table("One row per stored edit of the latent space (undos and redos included, as they happened).", {
        "edit_id": F("edit id", type="integer"), "run_id": RUN, "participant": P, "scenario": SC,
        "interaction_index": F("which interaction point (0 = the first)", type="integer"),
        "epoch": F("the epoch the edit was made after", type="integer"),
        "seq": F("order of the edit within its interaction point", type="integer"),
        "kind": F("move, arrow, undo, redo, ..."), "actor": F("who made it: participant, or simulated:<strategy>"),
        "class_id": F("the class an arrow or class edit concerns", type="integer"),
        "n_points": F("how many points the edit moved", type="integer"),
        "point_indices": F("indices of the moved points in the run's display subset", type="array"),
        "old_positions": F("[x, y] of each moved point before the edit", unit="2D view coordinates", type="array"),
        "new_positions": F("[x, y] of each moved point after the edit", unit="2D view coordinates", type="array"),
        "arrow": F("an arrow edit's start, end and class", unit="2D view coordinates", type="object"),
        "target_id": F("the edit an undo or redo acts on", type="integer"),
        "undone": F("the edit was later undone", type="boolean"), "created_at": AT,
    }, ("edit_id",)),
    "edit_points": Table("One row per point an edit moved (the coordinates of `edits`, long).", {
        "edit_id": F("edit id (see edits)", type="integer"), "run_id": RUN,
        "point_index": F("index of the point in the run's display subset", type="integer"),
        "old_x": F("x before", unit="2D view coordinates"), "old_y": F("y before", unit="2D view coordinates"),
        "new_x": F("x after", unit="2D view coordinates"), "new_y": F("y after", unit="2D view coordinates"),
    }),
    "follow_through": Table("One row per round and edited class: how far training carried the class where the "
                            "participant asked it to go (in the 2D view, measured after the round).", {
        "run_id": RUN, "participant": P, "scenario": SC,
        "interaction_index": F("the interaction point whose edits the round followed (0 = the first)",
                               type="integer"),
        "epoch": F("the epoch the round started from", type="integer"),
        "end_epoch": F("the epoch the round trained to", type="integer"),
        "class_id": F("the edited class", type="integer"), "teacher": F("the teacher the run used"),
        "alpha": F("weight of the human term in that round"),
        "old_x": F("class centre before the edit (x)", unit="2D view coordinates"),
        "old_y": F("class centre before the edit (y)", unit="2D view coordinates"),
        "asked_x": F("where the participant moved the class centre (x)", unit="2D view coordinates"),
        "asked_y": F("where the participant moved the class centre (y)", unit="2D view coordinates"),
        "new_x": F("class centre after the round (x)", unit="2D view coordinates"),
        "new_y": F("class centre after the round (y)", unit="2D view coordinates"),
        "old_spread": F("class spread before the edit", unit="2D view coordinates"),
        "asked_spread": F("class spread the edit asked for", unit="2D view coordinates"),
        "new_spread": F("class spread after the round", unit="2D view coordinates"),
        "share": F("share of the asked move the round achieved (1 = all the way, empty when nothing was asked)",
                   unit="fraction"),
        "spread_share": F("share of the asked change in spread the round achieved", unit="fraction"),
        "created_at": AT,
    }),
    "alpha_changes": Table("One row per change adaptive reliance made to a run's alpha.", {
        "run_id": RUN, "participant": P, "scenario": SC,
        "epoch": F("the epoch after which alpha changed", type="integer"),
        "old_alpha": F("alpha before"), "new_alpha": F("alpha after"),
        "val_acc": F(f"validation {ACC} that prompted the change", unit="fraction"),
        "band_min": F("lowest baseline seed at that epoch", unit="fraction"), "reason": F("why, in words"),
        "created_at": AT,
    }),
    "answers": Table("One row per current questionnaire, consent or demographics answer.", {
        "participant": P, "scenario": F("scenario the questionnaire followed; empty for study-wide forms"),
        "instrument": F("questionnaire id (umux_lite, nasa_tlx, custom_hill, demographics, consent, ...)"),
        "item": F("item id within the instrument"),
        "value_number": F("the answer when it is a number", unit="the item's scale"),
        "value_text": F("the answer when it is text or a choice"),
        "untouched": F("a slider submitted at its starting position, never moved", type="boolean"),
        "answered_at": AT, "simulated": SIM,
    }),
    "scores": Table("One row per scored questionnaire measure (UMUX-Lite, NASA-TLX and the custom items).", {
        "participant": P, "scenario": SC, "instrument": F("questionnaire id"),
        "measure": F("sus_parity and raw (UMUX-Lite, 0-100), raw_total (NASA-TLX, 0-120), a subscale (0-20) or "
                     "a custom item (0-100)"),
        "value": F("the score", unit="the measure's scale"), "simulated": SIM,
    }),
    "recordings": Table("One row per audio recording (think-aloud or interview).", {
        "recording_id": F("recording id", type="integer"), "participant": P, "scenario": SC,
        "kind": F("think_aloud or interview"), "mime": F("audio type"), "status": F("recording, closed, failed, ..."),
        "started_at": AT, "duration_s": F("length of the recording", unit="s"),
    }, ("recording_id",)),
    "transcript_segments": Table("One row per segment of every transcript, corrections applied.", {
        "transcript_id": F("transcript id", type="integer"), "recording_id": F("its recording", type="integer"),
        "participant": P, "scenario": SC, "backend": F("speech recognition backend (or 'simulated')"),
        "model": F("speech model"), "language": F("language code"),
        "segment_index": F("segment number within the transcript (0 = first)", type="integer"),
        "start_s": F("segment start from the start of the recording", unit="s"),
        "end_s": F("segment end from the start of the recording", unit="s"),
        "text": F("what was said, with the newest correction applied"),
        "session_start_s": F("segment start on the participant's session clock (from their first stored event)",
                             unit="s"),
        "session_end_s": F("segment end on the session clock", unit="s"),
        "spoken_at": F("when the segment began", unit="ISO 8601 UTC", type="datetime"),
        "run_id": F("the participant's run of this scenario", type="integer"),
        "epoch": F("the epoch training had reached when the segment was spoken", type="integer"),
        "interaction_index": F("the interaction point in force when it was spoken (0 = the first)", type="integer"),
        "edits_near": F("edits made within the alignment window around the segment", type="integer"),
        "edit_ids": F("those edits' ids (see edits), separated by ';'"),
        "edit_labels": F("those edits in words, separated by '; '"),
        "nearest_edit_s": F("time from the segment to the nearest edit", unit="s"),
    }, ("transcript_id", "segment_index")),
    "codebook": Table("One row per code or theme of the study's codebook.", {
        "code_id": F("code id", type="integer"), "name": F("code name"), "description": F("what the code means"),
        "parent_id": F("the theme or code it sits under", type="integer"),
        "theme": F("a theme (top level) rather than a code", type="boolean"),
    }, ("code_id",)),
    "codings": Table("One row per coded stretch of a transcript.", {
        "coding_id": F("coding id", type="integer"), "transcript_id": F("transcript id", type="integer"),
        "participant": P, "scenario": SC, "code_id": F("code id (see codebook)", type="integer"),
        "code": F("code name"), "theme": F("the theme the code sits under"), "coder": F("who coded it"),
        "start_index": F("first coded segment", type="integer"), "end_index": F("last coded segment", type="integer"),
        "start_s": F("start of the coded stretch", unit="s"), "end_s": F("end of the coded stretch", unit="s"),
        "quote": F("the coded words"), "memo": F("the coder's note"), "created_at": AT,
    }, ("coding_id",)),
    "agreement": Table("Inter-coder agreement on transcripts every coder finished, per code and overall.", {
        "code": F("code name, or (overall)"),
        "kappa": F("Cohen's kappa (two coders) or Fleiss' kappa (more)"),
        "alpha": F("Krippendorff's alpha (nominal)"), "observed": F("observed agreement", unit="fraction"),
        "method": F("cohen or fleiss"), "units": F("segments rated", type="integer"),
    }),
}
