"""Think-aloud and interview audio -> Whisper -> timed transcripts; corrections; qualitative coding and agreement.

Pure library: it never imports Dash or the hill-dash application, so an analyst can use it from a notebook.

    from transcripts import export, get_transcriber
    transcript = get_transcriber().transcribe("P13.webm")   # offline: faster-whisper with Whisper base
    print(export(transcript, "srt"))
"""

from transcripts._agreement import (
    AgreementReport,
    Kappa,
    agreement,
    double_coded_units,
    krippendorff_alpha,
    rating_kappa,
)
from transcripts._audio import SAMPLE_RATE, AudioError, UploadInfo, check_upload, decode_audio
from transcripts._codebook import Code, Codebook, CodebookError, paper_codebook
from transcripts._coding import (
    CodedSpan,
    CodingError,
    code_frequencies,
    format_quote,
    quote_rows,
    quotes,
    span_text,
    span_times,
)
from transcripts._edits import EditError, TranscriptEdit, apply_edits
from transcripts._models import DEFAULT_MODEL, FALLBACK_MODEL, MODELS, ModelIntegrityError, model_dir
from transcripts._refiqda import code_color, write_qdpx
from transcripts._timeline import EDIT_WINDOW_S, align_segments
from transcripts._export import FORMATS, export, format_timestamp, to_json, to_srt, to_txt, to_vtt, write_transcript
from transcripts._transcriber import (
    BACKENDS,
    DEFAULT_BACKEND,
    DecodeOptions,
    Transcriber,
    TranscriberUnavailable,
    get_transcriber,
)
from transcripts._transcript import Segment, Transcript, TranscriptFormatError, Word, load_transcript

__all__ = [
    "AgreementReport", "AudioError", "BACKENDS", "Code", "CodedSpan", "Codebook", "CodebookError", "CodingError",
    "DEFAULT_BACKEND", "DEFAULT_MODEL", "DecodeOptions", "EDIT_WINDOW_S", "FALLBACK_MODEL", "MODELS",
    "ModelIntegrityError", "EditError", "FORMATS", "Kappa", "SAMPLE_RATE", "Segment", "Transcriber",
    "TranscriberUnavailable", "Transcript", "TranscriptEdit", "TranscriptFormatError", "UploadInfo", "Word",
    "agreement", "align_segments", "apply_edits", "check_upload", "code_color", "code_frequencies", "decode_audio",
    "double_coded_units", "export", "format_quote", "format_timestamp", "get_transcriber", "krippendorff_alpha",
    "load_transcript", "model_dir", "paper_codebook", "quote_rows", "quotes", "rating_kappa", "span_text",
    "span_times", "write_qdpx", "to_json", "to_srt", "to_txt", "to_vtt", "write_transcript",
]
