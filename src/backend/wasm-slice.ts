import * as tf from '@tensorflow/tfjs';

/**
 * tfjs-backend-wasm 4.22's Slice (and Unpack and SplitV, which call it directly) starts with
 * backend.readSync(x), a copy of the WHOLE input, for every slice: unstacking a [.., T, ..]
 * tensor into T steps copies it T times, O(T²). These replacements copy only the slice:
 * they allocate the output first (allocation can grow the wasm heap and detach old views),
 * then read the input through a view of the heap.
 */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function copySlice(backend: WasmBackendLike, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const xVals = backend.typedArrayFromHeap(x);
  const outVals = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = tf.util.computeStrides(x.shape);
  const run = size[rank - 1];
  const outer = size.slice(0, rank - 1);
  const count = outer.reduce((a, b) => a * b, 1);
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  for (let k = 0, o = 0; k < count; k++, o += run) {
    let offset = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) offset += (begin[d] + index[d]) * strides[d];
    outVals.set(xVals.subarray(offset, offset + run), o);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < outer[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

let patched = false;

/** Replaces the wasm backend's Slice and Unpack kernels (once; call after the wasm backend is registered). */
export function patchWasmSlice(): void {
  const original = tf.getKernel('Slice', 'wasm');
  if (!original || patched) return;
  patched = true;
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel({
    kernelName: 'Slice',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === 'string' || x.shape.length === 0) return original.kernelFunc(args);
      const { begin, size } = args.attrs as unknown as { begin: number[]; size: number[] };
      const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
      if (s.some((v) => v === 0)) return original.kernelFunc(args);
      return copySlice(args.backend as unknown as WasmBackendLike, x, b, s);
    },
  });
  const unpack = tf.getKernel('Unpack', 'wasm')!;
  tf.unregisterKernel('Unpack', 'wasm');
  tf.registerKernel({
    kernelName: 'Unpack',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const value = args.inputs.value as tf.TensorInfo;
      if (value.dtype === 'string') return unpack.kernelFunc(args);
      let axis = (args.attrs as unknown as { axis: number }).axis;
      if (axis < 0) axis += value.shape.length;
      const size = value.shape.slice();
      size[axis] = 1;
      const outShape = value.shape.filter((_, i) => i !== axis);
      const outs: tf.TensorInfo[] = [];
      for (let i = 0; i < value.shape[axis]; i++) {
        const begin = new Array<number>(value.shape.length).fill(0);
        begin[axis] = i;
        const out = copySlice(args.backend as unknown as WasmBackendLike, value, begin, size);
        outs.push({ dataId: out.dataId, dtype: out.dtype, shape: outShape });
      }
      return outs;
    },
  });
}
