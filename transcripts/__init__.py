"""Think-aloud and interview audio -> Whisper -> timed transcripts; corrections; qualitative coding and agreement.

Pure library: it never imports Dash or the hill-dash application, so an analyst can use it from a notebook.

    from transcripts import export, get_transcriber
    transcript = get_transcriber().transcribe("P13.webm")   # offline: faster-whisper with the shipped tiny.en
    print(export(transcript, "srt"))
"""

from transcripts._agreement import AgreementReport, Kappa, agreement, double_coded_units, rating_kappa
from transcripts._audio import SAMPLE_RATE, AudioError, UploadInfo, check_upload, decode_audio
from transcripts._codebook import Code, Codebook, CodebookError, paper_codebook
from transcripts._coding import (
    CodedSpan,
    CodingError,
    code_frequencies,
    format_quote,
    quotes,
    span_text,
)
from transcripts._edits import EditError, TranscriptEdit, apply_edits
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
    "DEFAULT_BACKEND", "DecodeOptions", "EditError", "FORMATS", "Kappa", "SAMPLE_RATE", "Segment", "Transcriber",
    "TranscriberUnavailable", "Transcript", "TranscriptEdit", "TranscriptFormatError", "UploadInfo", "Word",
    "agreement", "apply_edits", "check_upload", "code_frequencies", "decode_audio", "double_coded_units",
    "export", "format_quote", "format_timestamp", "get_transcriber", "load_transcript", "paper_codebook", "quotes",
    "rating_kappa", "span_text", "to_json", "to_srt", "to_txt", "to_vtt", "write_transcript",
]
