"""int8 inference: the encoder's linear layers dynamically quantized, stored and loaded as int8.

`callner.TransformerModel.v1` is spacy-transformers' `TransformerModel.v3` with one more
argument, `quantize`. With `quantize = "int8"` its shim rebuilds the Hugging Face model from
the saved config on load, applies torch's `quantize_dynamic` (qint8, `nn.Linear` only) and only
then loads the saved state dict, so the pipeline stores int8 weights (about a third of the
transformer's size on disk) and `spacy.load` needs no extra step. A state dict saved in fp32
(a config switched to int8 by hand) is loaded first and quantized after.

Only inference: training never uses this architecture; the assemble step quantizes
model-best (`quantize_pipeline`). Mixed precision must be off.

CPU only: torch's dynamically quantized ops run on CPU, so the quantized encoder stays on
CPU even when spaCy runs on a GPU (`spacy.prefer_gpu()`); its outputs are moved to spaCy's
torch device, so the components after it still run there.

`encoder.py`'s guard and forward slicing apply unchanged: they wrap the HF model's `forward`,
which quantization leaves in place.
"""
import contextlib
import shutil
import tempfile
import warnings
from io import BytesIO
from pathlib import Path
from typing import Callable, List, Optional, Union

import srsly
import torch
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import SimpleFrozenDict, registry
from spacy_transformers.architectures import create_TransformerModel_v3
from spacy_transformers.data_classes import FullTransformerBatch, HFObjects
from spacy_transformers.layers.hf_shim import HFShim
from spacy_transformers.util import make_tempdir
from thinc.api import Model, get_torch_default_device

QUANTIZED_ARCHITECTURE = "callner.TransformerModel.v1"
INT8 = "int8"
QUANTIZE_CHOICES = ("none", INT8)
TRANSFORMER = "transformer"
_PACKED_PARAMS_SUFFIX = "._packed_params._packed_params"


def quantize_linear_layers(hf_model: torch.nn.Module) -> torch.nn.Module:
    """`hf_model` with every `nn.Linear` dynamically quantized to qint8, in place, on CPU.

    In place, so an instance attribute on the model (encoder.py's sliced `forward`) keeps
    pointing at the model that runs. torch marks `torch.ao.quantization` deprecated in favour
    of torchao; its dynamic quantization still works, and the warnings are silenced here.
    """
    hf_model.to("cpu")
    with quiet_quantization_warnings():
        return torch.ao.quantization.quantize_dynamic(hf_model, {torch.nn.Linear}, dtype=torch.qint8,
                                                      inplace=True)


@contextlib.contextmanager
def quiet_quantization_warnings():
    """torch's deprecation warnings for `torch.ao.quantization` and its quantized tensors, silenced."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\..*")
        yield


def is_quantized_state(state: dict) -> bool:
    return any(key.endswith(_PACKED_PARAMS_SUFFIX) for key in state)


def _move_outputs(output, device: torch.device):
    """The HF model output with its tensors on `device` (a no-op on CPU)."""
    if device.type == "cpu":
        return output
    for key, value in output.items():
        if isinstance(value, torch.Tensor):
            output[key] = value.to(device)
        elif isinstance(value, tuple):
            output[key] = tuple(v.to(device) if isinstance(v, torch.Tensor) else v for v in value)
    return output


class QuantizedHFShim(HFShim):
    """An `HFShim` whose HF model is int8-quantized and kept on CPU."""

    def predict(self, inputs):
        return _move_outputs(super().predict(inputs), get_torch_default_device())

    def begin_update(self, inputs):
        raise NotImplementedError(f"{QUANTIZED_ARCHITECTURE} with quantize='int8' is for inference only")

    def from_bytes(self, bytes_data):
        msg = srsly.msgpack_loads(bytes_data)
        if not msg["config"]:
            self._hfmodel = HFObjects(None, None, None, msg["_init_tokenizer_config"],
                                      msg["_init_transformer_config"])
            return self
        with make_tempdir() as temp_dir:
            config_file = temp_dir / "config.json"
            srsly.write_json(config_file, msg["config"])
            config = self.config_cls.from_pretrained(config_file)
            tokenizer, vocab_file_contents = self._restore_tokenizer(temp_dir, msg["tokenizer"])
        with quiet_quantization_warnings():
            state = torch.load(BytesIO(msg["state"]), map_location="cpu")
        transformer = self.model_cls.from_config(config)
        if is_quantized_state(state):
            quantize_linear_layers(transformer).load_state_dict(state)
        else:
            transformer.load_state_dict(state)
            quantize_linear_layers(transformer)
        transformer.eval()
        self._hfmodel = HFObjects(tokenizer, transformer, vocab_file_contents, SimpleFrozenDict(),
                                  SimpleFrozenDict())
        self._model = transformer
        return self

    def _restore_tokenizer(self, temp_dir: Path, tok_dict: dict):
        """The tokenizer saved by `HFShim.to_bytes`, and its vocab file's bytes (as HFShim restores them)."""
        tok_dict = dict(tok_dict)
        tok_kwargs = tok_dict.pop("kwargs", {})
        for name, data in tok_dict.items():
            (temp_dir / name).write_bytes(data)
        tokenizer = self.tokenizer_cls.from_pretrained(str(temp_dir.absolute()), **tok_kwargs)
        vocab_file_contents = None
        if hasattr(tokenizer, "vocab_file"):
            vocab_file = temp_dir / tokenizer.vocab_files_names["vocab_file"]
            vocab_file_contents = vocab_file.read_bytes()
        return tokenizer, vocab_file_contents


def _quantize_shim(model: Model) -> None:
    """Quantize the HF model of a `TransformerModel` (if it has one) and put it in a `QuantizedHFShim`."""
    wrapper = model.layers[0]
    shim = wrapper.shims[0]
    if isinstance(shim, QuantizedHFShim):
        return
    hf_objects = shim._hfmodel
    if hf_objects.transformer is not None:
        quantize_linear_layers(hf_objects.transformer).eval()
    quantized = QuantizedHFShim(hf_objects, mixed_precision=False, grad_scaler_config={"enabled": False},
                                config_cls=shim.config_cls, model_cls=shim.model_cls,
                                tokenizer_cls=shim.tokenizer_cls)
    quantized._model = hf_objects.transformer
    wrapper.shims[0] = quantized


def _set_quantized_transformer(set_transformer: Callable) -> Callable:
    def set_quantized(model: Model, hf_model: HFObjects) -> None:
        set_transformer(model, hf_model)
        _quantize_shim(model)

    return set_quantized


@registry.architectures(QUANTIZED_ARCHITECTURE)
def create_transformer_model(
    name: str,
    get_spans: Callable,
    tokenizer_config: dict = {},
    transformer_config: dict = {},
    mixed_precision: bool = False,
    grad_scaler_config: dict = {},
    quantize: Optional[str] = None,
) -> Model[List[Doc], FullTransformerBatch]:
    """spacy-transformers' `TransformerModel.v3`, its encoder int8-quantized with `quantize = "int8"`.

    quantize: "int8" (dynamic qint8 quantization of the encoder's linear layers, CPU only,
        inference only, stored as int8), or null / "none" for the plain fp32 model.
    """
    if quantize not in (None, *QUANTIZE_CHOICES):
        raise ValueError(f"quantize must be one of {QUANTIZE_CHOICES} or null, not {quantize!r}")
    if quantize == INT8 and mixed_precision:
        raise ValueError("quantize='int8' needs mixed_precision = false")
    model = create_TransformerModel_v3(name, get_spans, tokenizer_config, transformer_config,
                                       mixed_precision, grad_scaler_config)
    if quantize == INT8:
        _quantize_shim(model)
        model.attrs["set_transformer"] = _set_quantized_transformer(model.attrs["set_transformer"])
    return model


def is_quantized_dir(path: Union[str, Path], name: str = TRANSFORMER) -> bool:
    """Whether the saved pipeline at `path` stores its `name` component's encoder as int8."""
    from spacy.util import load_config

    components = load_config(Path(path) / "config.cfg", interpolate=False).get("components", {})
    return components.get(name, {}).get("model", {}).get("quantize") == INT8


def quantize_pipeline(nlp: Language, name: str = TRANSFORMER) -> Language:
    """`nlp` with its transformer component's encoder int8-quantized, in place (idempotent).

    The component's config names `callner.TransformerModel.v1` with `quantize = "int8"`, so
    `nlp.to_disk` writes a pipeline that `spacy.load` rebuilds quantized.
    """
    if name not in nlp.component_names:
        raise ValueError(f"{name!r} is not a component of the pipeline {nlp.component_names}")
    model_config = nlp.get_pipe_config(name)["model"]
    if model_config.get("mixed_precision"):
        raise ValueError("int8 quantization needs the transformer's mixed_precision off")
    _quantize_shim(nlp.get_pipe(name).model)
    model_config["@architectures"] = QUANTIZED_ARCHITECTURE
    model_config["quantize"] = INT8
    if isinstance(nlp.meta.get("callner"), dict):
        nlp.meta["callner"]["quantize"] = INT8
    return nlp


def quantize_pipeline_dir(src: Union[str, Path], dst: Union[str, Path], name: str = TRANSFORMER) -> Path:
    """Load the pipeline at `src`, quantize its encoder and save it at `dst` (replaced if it exists)."""
    import spacy

    nlp = quantize_pipeline(spacy.load(src), name=name)
    dst = Path(dst)
    if dst.exists():
        shutil.rmtree(dst)
    nlp.to_disk(dst)
    for extra in Path(src).iterdir():
        if extra.is_file() and not (dst / extra.name).exists():
            shutil.copy2(extra, dst / extra.name)
    return dst


def quantized_copy(src: Union[str, Path]) -> tempfile.TemporaryDirectory:
    """A temporary directory holding the int8 copy of the pipeline at `src` (in `.name / "model"`)."""
    tmp = tempfile.TemporaryDirectory(prefix="callner_int8_")
    quantize_pipeline_dir(src, Path(tmp.name) / "model")
    return tmp
