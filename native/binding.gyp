{
  "target_defaults": {
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "src"],
    "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
    "cflags": ["-O3", "-fPIC"],
    "cflags_cc": ["-std=c++17", "-O3", "-fPIC"]
  },
  "targets": [
    {
      "target_name": "dte_avx2",
      "type": "static_library",
      "sources": ["<!@(node scripts/list-sources.cjs avx2)"],
      "cflags_cc": ["-mavx2", "-mfma", "-mf16c"]
    },
    {
      "target_name": "dte_amx",
      "type": "static_library",
      "sources": ["<!@(node scripts/list-sources.cjs amx)"],
      "cflags_cc": ["-mavx2", "-mfma", "-mf16c", "-mavx512f", "-mavx512bw", "-mavx512vl", "-mamx-tile", "-mamx-int8"]
    },
    {
      "target_name": "dte_native",
      "dependencies": ["dte_avx2", "dte_amx"],
      "sources": ["<!@(node scripts/list-sources.cjs generic)"],
      "libraries": ["-lpthread", "-ldl"]
    }
  ]
}
