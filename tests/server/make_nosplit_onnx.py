"""A MiniSBD-compatible ONNX model that never splits: every character gets class 0
("no break"); MiniSBD itself forces a sentence break on the last character of each
paragraph, so each paragraph comes back as one sentence."""
import json
import sys

import onnx
from onnx import TensorProto, helper

units = helper.make_tensor_value_info("units", TensorProto.INT64, ["B", "N"])
features = helper.make_tensor_value_info("features", TensorProto.FLOAT, ["B", "N", "F"])
out = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["B", "N", 5])
nodes = [
    helper.make_node("Shape", ["units"], ["bn"]),
    helper.make_node("Concat", ["bn", "five"], ["bn5"], axis=0),
    helper.make_node("ConstantOfShape", ["bn5"], ["zeros"],
                     value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.0])),
    helper.make_node("Add", ["zeros", "bias"], ["logits"]),
]
inits = [
    helper.make_tensor("five", TensorProto.INT64, [1], [5]),
    helper.make_tensor("bias", TensorProto.FLOAT, [5], [1.0, 0.0, 0.0, 0.0, 0.0]),
]
graph = helper.make_graph(nodes, "nosplit", [units, features], [out], initializer=inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
vocab = {"lang": "fr", "idx": 0, "cutoff": 0, "lower": False,
         "_unit2id": {"<PAD>": 0, "<UNK>": 1, "<EMPTY>": 2, "<ROOT>": 3},
         "_id2unit": ["<PAD>", "<UNK>", "<EMPTY>", "<ROOT>"]}
config = {"feat_funcs": [], "max_seqlen": 1000, "batch_size": 32,
          "use_dictionary": False, "num_dict_feat": 0, "skip_newline": False, "no_ssplit": False}
for k, v in {"lang_code": "fr", "config": json.dumps(config), "vocab": json.dumps(vocab),
             "lexicon": "null"}.items():
    model.metadata_props.add(key=k, value=v)
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
