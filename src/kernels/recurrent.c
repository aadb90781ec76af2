/*
 * Fused recurrent kernel: the forward pass and backpropagation through time of one model
 * (vanilla, residual, layer-norm, LSTM, GRU cells) in WebAssembly SIMD, for the training loop.
 *
 * Why: at hidden size 32 a training update in tfjs is a few thousand small ops, and tfjs's
 * per-op cost (dispatch, tensor bookkeeping, a kernel call per op) outweighs the arithmetic.
 * Here one call runs a whole sequence. The equations are those of src/models/cells-bptt.ts,
 * which stays the reference: specs/experiments/kernel.test.ts checks this kernel against it on
 * both tfjs backends.
 *
 * Build: node scripts/build-kernel.mjs (clang 16, --target=wasm32 -msimd128); the binary is
 * embedded in src/kernels/recurrent-wasm.ts with the SHA-256 of this file.
 *
 * Layout: row-major float32. Gates per architecture (G): rnn/residual/layernorm 1, lstm 4
 * (i, f, g, o), gru 3 (r, z, n). W_ih [D, G·H], W_hh [H, G·H], biases [G·H].
 */
#include <wasm_simd128.h>

typedef float f32;
typedef v128_t V;

#define SPLAT wasm_f32x4_splat
#define ADD wasm_f32x4_add
#define SUB wasm_f32x4_sub
#define MUL wasm_f32x4_mul
#define DIV wasm_f32x4_div
#define LD(p) wasm_v128_load(p)
#define ST(p, v) wasm_v128_store((p), (v))

/* ARCH_GRU is PyTorch's GRU (reset after the recurrent product); ARCH_GRU_RESET_BEFORE is Cho et al.'s and tfjs-layers' (r·h before it). */
enum { ARCH_RNN = 0, ARCH_RESIDUAL = 1, ARCH_LAYERNORM = 2, ARCH_LSTM = 3, ARCH_GRU = 4, ARCH_GRU_RESET_BEFORE = 5 };
enum { ACT_TANH = 0, ACT_SIGMOID = 1, ACT_RELU = 2, ACT_LINEAR = 3, ACT_HARD_SIGMOID = 4 };

/* Every field is 32 bits: sizes, then byte pointers into this module's memory (0 = absent). */
typedef struct {
  int arch, act, ract, B, T, D, H, O, keep;
  f32 *x;     /* [B, T, D], as a task samples it */
  f32 *y;     /* [B, O] targets */
  f32 *wih, *whh, *bih, *bhh, *wout, *bout;
  f32 *wproj, *bproj; /* residual: p_t = x_t·W_proj + b_proj, [D, H] and [H] */
  f32 *lng, *lnb;     /* layernorm gain and bias [H] */
  /* workspace; per step t when keep, else one slot (hs, cs: two) */
  f32 *xt;    /* [T, B, D] */
  f32 *z;     /* [T, B, GH] pre-activations (GRU: a + u for r and z, a for n) */
  f32 *u;     /* [T, B, GH] GRU: h·W_hh (n gate: + b_hn) */
  f32 *acts;  /* [T, B, GH] gate activations; rnn/residual: act(z); layernorm: n (normalised) */
  f32 *hs;    /* [T + 1, B, H]: hs[t] = h_{t−1}, hs[0] = 0 */
  f32 *cs;    /* [T + 1, B, H]: LSTM cells; layernorm: y = n·gain + bias [T, B, H] */
  f32 *aux;   /* [T, B, H]: LSTM tanh(c_t); layernorm: 1/std per row [T, B] */
  f32 *out;   /* [B, O] */
  /* backward */
  f32 *dz;    /* [T, B, GH] ∂L/∂u_t */
  f32 *da;    /* [T, B, GH] GRU: ∂L/∂a_t */
  f32 *whhT;  /* [GH, H] */
  f32 *dh, *dc, *dtmp, *dout; /* [B, H], [B, H], [B, max(GH, H)], [B, O] */
  f32 *dstate; /* [T, B, S] ∂L/∂s_t (S = 2H for the LSTM: [dh; dc]), or 0 */
  f32 *gwih, *gwhh, *gbih, *gbhh, *gwout, *gbout, *gwproj, *gbproj, *glng, *glnb;
  f32 *lnsum; /* [T, B, H] layernorm: per-step dy (its column sums are the bias gradient) */
  f32 *brow;  /* [GH] scratch: the bias row of z */
  f32 *gx;    /* vg_profile: [T, B, D] ∂L/∂x_t (whhT must then hold max(GH·H, GH·D, H·D) floats) */
} Job;

/* ---------------------------------------------------------------- math */

/* e^x (Cephes expf: Cody–Waite reduction, degree-6 polynomial; about 1 ulp), x clamped to [−87.3, 88]. */
static inline __attribute__((always_inline)) V vexp(V x) {
  x = wasm_f32x4_min(wasm_f32x4_max(x, SPLAT(-87.3f)), SPLAT(88.0f));
  V fx = wasm_f32x4_nearest(MUL(x, SPLAT(1.44269504088896341f)));
  x = SUB(x, MUL(fx, SPLAT(0.693359375f)));
  x = SUB(x, MUL(fx, SPLAT(-2.12194440e-4f)));
  V z = MUL(x, x);
  V y = SPLAT(1.9875691500e-4f);
  y = ADD(MUL(y, x), SPLAT(1.3981999507e-3f));
  y = ADD(MUL(y, x), SPLAT(8.3334519073e-3f));
  y = ADD(MUL(y, x), SPLAT(4.1665795894e-2f));
  y = ADD(MUL(y, x), SPLAT(1.6666665459e-1f));
  y = ADD(MUL(y, x), SPLAT(5.0000001201e-1f));
  y = ADD(ADD(MUL(y, z), x), SPLAT(1.0f));
  V n = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(fx), wasm_i32x4_splat(127)), 23);
  return MUL(y, n);
}

static inline __attribute__((always_inline)) V vsigmoid(V x) { return DIV(SPLAT(1.0f), ADD(SPLAT(1.0f), vexp(wasm_f32x4_neg(x)))); }

/* tanh (Cephes tanhf): an odd polynomial below |x| = 0.625, 1 − 2/(e^{2|x|} + 1) above. */
static inline __attribute__((always_inline)) V vtanh(V x) {
  V ax = wasm_f32x4_abs(x);
  V z = MUL(x, x);
  V p = SPLAT(-5.70498872745e-3f);
  p = ADD(MUL(p, z), SPLAT(2.06390887954e-2f));
  p = ADD(MUL(p, z), SPLAT(-5.37397155531e-2f));
  p = ADD(MUL(p, z), SPLAT(1.33314422036e-1f));
  p = ADD(MUL(p, z), SPLAT(-3.33332819422e-1f));
  V small = ADD(MUL(MUL(p, z), x), x);
  V big = SUB(SPLAT(1.0f), DIV(SPLAT(2.0f), ADD(vexp(ADD(ax, ax)), SPLAT(1.0f))));
  big = wasm_v128_or(big, wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000)));
  return wasm_v128_bitselect(small, big, wasm_f32x4_lt(ax, SPLAT(0.625f)));
}

static inline __attribute__((always_inline)) V vact(int kind, V x) {
  switch (kind) {
    case ACT_TANH: return vtanh(x);
    case ACT_SIGMOID: return vsigmoid(x);
    case ACT_RELU: return wasm_f32x4_max(x, SPLAT(0.0f));
    case ACT_LINEAR: return x;
    default: return wasm_f32x4_min(wasm_f32x4_max(ADD(MUL(x, SPLAT(0.2f)), SPLAT(0.5f)), SPLAT(0.0f)), SPLAT(1.0f));
  }
}

/* σ'(z) from z and y = σ(z), with tfjs's conventions at kinks (relu' = [z > 0], hard sigmoid's on [0, 1]). */
static inline __attribute__((always_inline)) V vslope(int kind, V z, V y) {
  switch (kind) {
    case ACT_TANH: return SUB(SPLAT(1.0f), MUL(y, y));
    case ACT_SIGMOID: return MUL(y, SUB(SPLAT(1.0f), y));
    case ACT_RELU: return wasm_v128_and(wasm_f32x4_gt(z, SPLAT(0.0f)), SPLAT(1.0f));
    case ACT_LINEAR: return SPLAT(1.0f);
    default: {
      V v = ADD(MUL(z, SPLAT(0.2f)), SPLAT(0.5f));
      return wasm_v128_and(wasm_v128_and(wasm_f32x4_ge(v, SPLAT(0.0f)), wasm_f32x4_le(v, SPLAT(1.0f))), SPLAT(0.2f));
    }
  }
}

/* Scalar tails (sizes not a multiple of 4) go through lane 0 of the vector code. */
static inline __attribute__((always_inline)) f32 sact(int kind, f32 x) { return wasm_f32x4_extract_lane(vact(kind, SPLAT(x)), 0); }
static inline __attribute__((always_inline)) f32 sslope(int kind, f32 z, f32 y) { return wasm_f32x4_extract_lane(vslope(kind, SPLAT(z), SPLAT(y)), 0); }

/* ---------------------------------------------------------------- products */

/*
 * C[M, N] (+)= A·B with A(i, k) = A[i·sai + k·sak] (so Aᵀ is sai = 1, sak = rows) and B row-major
 * [K, N] with row stride ldb. Register tiles of 4 × 8; edges in narrower tiles.
 */
__attribute__((export_name("vg_gemm")))
void vg_gemm(int M, int N, int K, const f32 *A, int sai, int sak, const f32 *Bm, int ldb, f32 *C, int ldc, int acc) {
  int i = 0;
  for (; i + 4 <= M; i += 4) {
    const f32 *a = A + i * sai;
    f32 *c = C + i * ldc;
    int j = 0;
    for (; j + 8 <= N; j += 8) {
      V c00, c01, c10, c11, c20, c21, c30, c31;
      if (acc) {
        c00 = LD(c + j); c01 = LD(c + j + 4); c10 = LD(c + ldc + j); c11 = LD(c + ldc + j + 4);
        c20 = LD(c + 2 * ldc + j); c21 = LD(c + 2 * ldc + j + 4); c30 = LD(c + 3 * ldc + j); c31 = LD(c + 3 * ldc + j + 4);
      } else {
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = SPLAT(0.0f);
      }
      const f32 *b = Bm + j;
      const f32 *ak = a;
      for (int k = 0; k < K; k++, b += ldb, ak += sak) {
        V b0 = LD(b), b1 = LD(b + 4);
        V a0 = wasm_v128_load32_splat(ak), a1 = wasm_v128_load32_splat(ak + sai), a2 = wasm_v128_load32_splat(ak + 2 * sai), a3 = wasm_v128_load32_splat(ak + 3 * sai);
        c00 = ADD(c00, MUL(a0, b0)); c01 = ADD(c01, MUL(a0, b1));
        c10 = ADD(c10, MUL(a1, b0)); c11 = ADD(c11, MUL(a1, b1));
        c20 = ADD(c20, MUL(a2, b0)); c21 = ADD(c21, MUL(a2, b1));
        c30 = ADD(c30, MUL(a3, b0)); c31 = ADD(c31, MUL(a3, b1));
      }
      ST(c + j, c00); ST(c + j + 4, c01); ST(c + ldc + j, c10); ST(c + ldc + j + 4, c11);
      ST(c + 2 * ldc + j, c20); ST(c + 2 * ldc + j + 4, c21); ST(c + 3 * ldc + j, c30); ST(c + 3 * ldc + j + 4, c31);
    }
    for (; j < N; j++) {
      for (int r = 0; r < 4; r++) {
        f32 s = acc ? c[r * ldc + j] : 0.0f;
        for (int k = 0; k < K; k++) s += a[r * sai + k * sak] * Bm[k * ldb + j];
        c[r * ldc + j] = s;
      }
    }
  }
  for (; i < M; i++) {
    const f32 *a = A + i * sai;
    f32 *c = C + i * ldc;
    int j = 0;
    /* Four column blocks at once: one add chain per block would leave the row latency-bound (a batch of 1 is all rows here). */
    for (; j + 16 <= N; j += 16) {
      V s0 = acc ? LD(c + j) : SPLAT(0.0f), s1 = acc ? LD(c + j + 4) : SPLAT(0.0f);
      V s2 = acc ? LD(c + j + 8) : SPLAT(0.0f), s3 = acc ? LD(c + j + 12) : SPLAT(0.0f);
      const f32 *b = Bm + j;
      for (int k = 0; k < K; k++, b += ldb) {
        V ak = wasm_v128_load32_splat(a + k * sak);
        s0 = ADD(s0, MUL(ak, LD(b))); s1 = ADD(s1, MUL(ak, LD(b + 4)));
        s2 = ADD(s2, MUL(ak, LD(b + 8))); s3 = ADD(s3, MUL(ak, LD(b + 12)));
      }
      ST(c + j, s0); ST(c + j + 4, s1); ST(c + j + 8, s2); ST(c + j + 12, s3);
    }
    for (; j + 4 <= N; j += 4) {
      V s = acc ? LD(c + j) : SPLAT(0.0f);
      for (int k = 0; k < K; k++) s = ADD(s, MUL(wasm_v128_load32_splat(a + k * sak), LD(Bm + k * ldb + j)));
      ST(c + j, s);
    }
    for (; j < N; j++) {
      f32 s = acc ? c[j] : 0.0f;
      for (int k = 0; k < K; k++) s += a[k * sak] * Bm[k * ldb + j];
      c[j] = s;
    }
  }
}

static void transpose(const f32 *a, int rows, int cols, f32 *out) {
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
}

/* out[j] = Σ_r a[r·n + j] (column sums of [rows, n]). */
__attribute__((noinline)) static void colsum(const f32 *a, int rows, int n, f32 *out) {
  int j = 0;
  for (; j + 4 <= n; j += 4) {
    V s = SPLAT(0.0f);
    for (int r = 0; r < rows; r++) s = ADD(s, LD(a + r * n + j));
    ST(out + j, s);
  }
  for (; j < n; j++) {
    f32 s = 0.0f;
    for (int r = 0; r < rows; r++) s += a[r * n + j];
    out[j] = s;
  }
}

/* Rows per chunk of the weight-gradient products: 64 rows of δu at G·H = 128 are 32 kB. */
#define ROW_CHUNK 64

static inline int gates(int arch) { return arch == ARCH_LSTM ? 4 : (arch == ARCH_GRU || arch == ARCH_GRU_RESET_BEFORE) ? 3 : 1; }
static inline int slot(const Job *j, int t) { return j->keep ? t : 0; }
static inline int hslot(const Job *j, int t) { return j->keep ? t : (t & 1); }

/* ---------------------------------------------------------------- forward */

/* One step's cell, from z (pre-activations with x·W_ih, biases and, but for the GRU, h·W_hh). */
static inline __attribute__((always_inline)) void cell_forward_k(const Job *j, int t, const int act, const int ract) {
  const int B = j->B, H = j->H, G = gates(j->arch), GH = G * H;
  f32 *z = j->z + (long)slot(j, t) * B * GH;
  f32 *g = j->acts + (long)slot(j, t) * B * GH;
  const f32 *hp = j->hs + (long)hslot(j, t) * B * H;
  f32 *h = j->hs + (long)hslot(j, t + 1) * B * H;
  for (int b = 0; b < B; b++) {
    f32 *zb = z + b * GH, *gb = g + b * GH, *hb = h + b * H;
    const f32 *hpb = hp + b * H;
    switch (j->arch) {
      case ARCH_RNN:
      case ARCH_RESIDUAL: {
        int k = 0;
        for (; k + 4 <= H; k += 4) ST(gb + k, vact(act, LD(zb + k)));
        for (; k < H; k++) gb[k] = sact(act, zb[k]);
        if (j->arch == ARCH_RESIDUAL) {
          const f32 *xb = j->xt + ((long)t * B + b) * j->D;
          for (k = 0; k < H; k++) {
            f32 p = j->bproj ? j->bproj[k] : 0.0f;
            for (int d = 0; d < j->D; d++) p += xb[d] * j->wproj[d * H + k];
            hb[k] = gb[k] + p;
          }
        } else {
          for (k = 0; k < H; k++) hb[k] = gb[k];
        }
        break;
      }
      case ARCH_LAYERNORM: {
        /* n = (z − mean)/sqrt(var + ε), y = n·gain + bias, h = act(y) (tf.moments: population variance). */
        f32 mean = 0.0f, var = 0.0f;
        for (int k = 0; k < H; k++) mean += zb[k];
        mean /= (f32)H;
        for (int k = 0; k < H; k++) { f32 d = zb[k] - mean; var += d * d; }
        var /= (f32)H;
        f32 rstd = 1.0f / __builtin_sqrtf(var + 1e-5f);
        f32 *yb = j->cs + ((long)slot(j, t) * B + b) * H;
        j->aux[(long)slot(j, t) * B + b] = rstd;
        for (int k = 0; k < H; k++) {
          gb[k] = (zb[k] - mean) * rstd;
          yb[k] = gb[k] * j->lng[k] + j->lnb[k];
        }
        int k = 0;
        for (; k + 4 <= H; k += 4) ST(hb + k, vact(act, LD(yb + k)));
        for (; k < H; k++) hb[k] = sact(act, yb[k]);
        break;
      }
      case ARCH_LSTM: {
        const f32 *cp = j->cs + ((long)hslot(j, t) * B + b) * H;
        f32 *cb = j->cs + ((long)hslot(j, t + 1) * B + b) * H;
        f32 *tc = j->aux + ((long)slot(j, t) * B + b) * H;
        int k = 0;
        for (; k + 4 <= H; k += 4) {
          V i = vact(ract, LD(zb + k)), f = vact(ract, LD(zb + H + k));
          V gg = vtanh(LD(zb + 2 * H + k)), o = vact(ract, LD(zb + 3 * H + k));
          V c = ADD(MUL(f, LD(cp + k)), MUL(i, gg));
          V tcv = vtanh(c);
          ST(gb + k, i); ST(gb + H + k, f); ST(gb + 2 * H + k, gg); ST(gb + 3 * H + k, o);
          ST(cb + k, c); ST(tc + k, tcv); ST(hb + k, MUL(o, tcv));
        }
        for (; k < H; k++) {
          f32 i = sact(ract, zb[k]), f = sact(ract, zb[H + k]), gg = sact(ACT_TANH, zb[2 * H + k]), o = sact(ract, zb[3 * H + k]);
          f32 c = f * cp[k] + i * gg, tcv = sact(ACT_TANH, c);
          gb[k] = i; gb[H + k] = f; gb[2 * H + k] = gg; gb[3 * H + k] = o;
          cb[k] = c; tc[k] = tcv; hb[k] = o * tcv;
        }
        break;
      }
      case ARCH_GRU: {
        /* PyTorch's GRU: r = σ(a_r + u_r), z = σ(a_z + u_z), n = tanh(a_n + r·(u_n + b_hn)), h = (1 − z)·n + z·h_{t−1}. */
        f32 *ub = j->u + ((long)slot(j, t) * B + b) * GH;
        int k = 0;
        for (; k + 4 <= H; k += 4) {
          V un = ADD(LD(ub + 2 * H + k), j->bhh ? LD(j->bhh + 2 * H + k) : SPLAT(0.0f));
          V zr = ADD(LD(zb + k), LD(ub + k)), zz = ADD(LD(zb + H + k), LD(ub + H + k));
          V r = vact(ract, zr), zu = vact(ract, zz);
          V n = vtanh(ADD(LD(zb + 2 * H + k), MUL(r, un)));
          ST(ub + 2 * H + k, un); ST(zb + k, zr); ST(zb + H + k, zz);
          ST(gb + k, r); ST(gb + H + k, zu); ST(gb + 2 * H + k, n);
          ST(hb + k, ADD(MUL(SUB(SPLAT(1.0f), zu), n), MUL(zu, LD(hpb + k))));
        }
        for (; k < H; k++) {
          f32 un = ub[2 * H + k] + (j->bhh ? j->bhh[2 * H + k] : 0.0f);
          f32 zr = zb[k] + ub[k], zz = zb[H + k] + ub[H + k];
          f32 r = sact(ract, zr), zu = sact(ract, zz);
          f32 n = sact(ACT_TANH, zb[2 * H + k] + r * un);
          ub[2 * H + k] = un; zb[k] = zr; zb[H + k] = zz;
          gb[k] = r; gb[H + k] = zu; gb[2 * H + k] = n;
          hb[k] = (1.0f - zu) * n + zu * hpb[k];
        }
        break;
      }
    }
  }
}

/* The common activations get loops of their own (constants propagate into the inlined cell); others take the generic path. */
__attribute__((noinline)) static void cell_forward(const Job *j, int t) {
  if (j->act == ACT_TANH && j->ract == ACT_SIGMOID) cell_forward_k(j, t, ACT_TANH, ACT_SIGMOID);
  else if (j->act == ACT_RELU && j->ract == ACT_SIGMOID) cell_forward_k(j, t, ACT_RELU, ACT_SIGMOID);
  else cell_forward_k(j, t, j->act, j->ract);
}

/*
 * The reset-before GRU (Cho et al. 2014; tfjs-layers' only form): r = σ(a_r + h·U_r),
 * z = σ(a_z + h·U_z), n = tanh(a_n + (r·h)·U_n), h' = (1 − z)·n + z·h, every bias in a. Its
 * recurrent product for n needs r first, so the step runs two products around the gates; r·h is
 * kept in aux for the backward pass. Sigmoid gates only (tfjs-layers' check is its one user).
 */
static void gru_reset_before_forward(const Job *j, int t) {
  const int B = j->B, H = j->H, GH = 3 * H;
  f32 *z = j->z + (long)slot(j, t) * B * GH, *g = j->acts + (long)slot(j, t) * B * GH;
  f32 *u = j->u + (long)slot(j, t) * B * GH, *rh = j->aux + (long)slot(j, t) * B * H;
  const f32 *hp = j->hs + (long)hslot(j, t) * B * H;
  f32 *h = j->hs + (long)hslot(j, t + 1) * B * H;
  vg_gemm(B, 2 * H, H, hp, H, 1, j->whh, GH, u, GH, 0);
  for (int b = 0; b < B; b++)
    for (int k = 0; k < 2 * H; k++) {
      z[b * GH + k] += u[b * GH + k];
      g[b * GH + k] = sact(ACT_SIGMOID, z[b * GH + k]);
    }
  for (int b = 0; b < B; b++) for (int k = 0; k < H; k++) rh[b * H + k] = g[b * GH + k] * hp[b * H + k];
  vg_gemm(B, H, H, rh, H, 1, j->whh + 2 * H, GH, u + 2 * H, GH, 0);
  for (int b = 0; b < B; b++)
    for (int k = 0; k < H; k++) {
      z[b * GH + 2 * H + k] += u[b * GH + 2 * H + k];
      f32 n = sact(ACT_TANH, z[b * GH + 2 * H + k]), zu = g[b * GH + H + k];
      g[b * GH + 2 * H + k] = n;
      h[b * H + k] = (1.0f - zu) * n + zu * hp[b * H + k];
    }
}

/* One step back through the reset-before GRU: writes δ = [δz_r, δz_z, δz_n] (both ∂L/∂u and ∂L/∂a) and replaces dh by ∂L/∂h_{t−1}. */
static void gru_reset_before_backward(Job *j, int t) {
  const int B = j->B, H = j->H, GH = 3 * H;
  const f32 *z = j->z + (long)t * B * GH, *g = j->acts + (long)t * B * GH, *rh = j->aux + (long)t * B * H;
  const f32 *hp = j->hs + (long)t * B * H;
  f32 *dz = j->dz + (long)t * B * GH, *drh = j->dtmp;
  for (int b = 0; b < B; b++)
    for (int k = 0; k < H; k++) {
      f32 zu = g[b * GH + H + k], n = g[b * GH + 2 * H + k], dh = j->dh[b * H + k];
      dz[b * GH + 2 * H + k] = dh * (1.0f - zu) * (1.0f - n * n);
      dz[b * GH + H + k] = dh * (hp[b * H + k] - n) * sslope(ACT_SIGMOID, z[b * GH + H + k], zu);
    }
  /* ∂L/∂(r·h) = δz_n·U_nᵀ (rows 2H… of W_hhᵀ). */
  vg_gemm(B, H, H, dz + 2 * H, GH, 1, j->whhT + 2 * H * H, H, drh, H, 0);
  for (int b = 0; b < B; b++)
    for (int k = 0; k < H; k++) {
      f32 r = g[b * GH + k];
      dz[b * GH + k] = drh[b * H + k] * hp[b * H + k] * sslope(ACT_SIGMOID, z[b * GH + k], r);
      /* the parts of ∂L/∂h_{t−1} not through [U_r U_z]: z·dh and r·∂L/∂(r·h) */
      j->dh[b * H + k] = j->dh[b * H + k] * g[b * GH + H + k] + r * drh[b * H + k];
    }
  (void)rh;
  if (t > 0) vg_gemm(B, H, 2 * H, dz, GH, 1, j->whhT, H, j->dh, H, 1);
}

/* Forward pass over the whole sequence and the readout; out = h_{T−1}·W_out + b_out. */
__attribute__((export_name("vg_forward")))
void vg_forward(Job *j) {
  const int B = j->B, T = j->T, D = j->D, H = j->H, O = j->O, G = gates(j->arch), GH = G * H;
  for (int b = 0; b < B; b++)
    for (int t = 0; t < T; t++)
      for (int d = 0; d < D; d++) j->xt[((long)t * B + b) * D + d] = j->x[((long)b * T + t) * D + d];
  for (int i = 0; i < B * H; i++) j->hs[i] = 0.0f;
  if (!j->keep) for (int i = 0; i < B * H; i++) j->hs[B * H + i] = 0.0f;
  if (j->arch == ARCH_LSTM) for (int i = 0; i < B * H; i++) j->cs[i] = 0.0f;
  for (int k = 0; k < GH; k++) j->brow[k] = j->bih[k] + (j->bhh && !(j->arch == ARCH_GRU && k >= 2 * H) ? j->bhh[k] : 0.0f);
  for (int t = 0; t < T; t++) {
    f32 *z = j->z + (long)slot(j, t) * B * GH;
    const f32 *hp = j->hs + (long)hslot(j, t) * B * H;
    /* z = b (GRU: b_ih, plus b_hh for r and z) + x_t·W_ih; then + h_{t−1}·W_hh, or u = h_{t−1}·W_hh for the GRU. */
    for (int b = 0; b < B; b++) __builtin_memcpy(z + b * GH, j->brow, GH * sizeof(f32));
    vg_gemm(B, GH, D, j->xt + (long)t * B * D, D, 1, j->wih, GH, z, GH, 1);
    if (j->arch == ARCH_GRU_RESET_BEFORE) {
      gru_reset_before_forward(j, t);
      continue;
    }
    if (j->arch == ARCH_GRU) vg_gemm(B, GH, H, hp, H, 1, j->whh, GH, j->u + (long)slot(j, t) * B * GH, GH, 0);
    else vg_gemm(B, GH, H, hp, H, 1, j->whh, GH, z, GH, 1);
    cell_forward(j, t);
  }
  const f32 *hl = j->hs + (long)hslot(j, T) * B * H;
  for (int b = 0; b < B; b++) for (int o = 0; o < O; o++) j->out[b * O + o] = j->bout[o];
  vg_gemm(B, O, H, hl, H, 1, j->wout, O, j->out, O, 1);
}

/* ---------------------------------------------------------------- backward */

/* One step back: from dh (and dc) at h_t, writes ∂L/∂u_t (and ∂L/∂a_t) and leaves in dtmp the part of ∂L/∂h_{t−1} not through u. */
static inline __attribute__((always_inline)) void cell_backward_k(Job *j, int t, const int act, const int ract) {
  const int B = j->B, H = j->H, G = gates(j->arch), GH = G * H;
  const f32 *z = j->z + (long)t * B * GH, *g = j->acts + (long)t * B * GH;
  f32 *dz = j->dz + (long)t * B * GH;
  for (int b = 0; b < B; b++) {
    const f32 *zb = z + b * GH, *gb = g + b * GH;
    f32 *dzb = dz + b * GH, *dh = j->dh + b * H;
    switch (j->arch) {
      case ARCH_RNN:
      case ARCH_RESIDUAL: {
        int k = 0;
        for (; k + 4 <= H; k += 4) ST(dzb + k, MUL(LD(dh + k), vslope(act, LD(zb + k), LD(gb + k))));
        for (; k < H; k++) dzb[k] = dh[k] * sslope(act, zb[k], gb[k]);
        break;
      }
      case ARCH_LAYERNORM: {
        const f32 *yb = j->cs + ((long)t * B + b) * H;
        const f32 *hb = j->hs + ((long)(t + 1) * B + b) * H;
        f32 rstd = j->aux[(long)t * B + b];
        f32 *dy = j->lnsum + ((long)t * B + b) * H;
        f32 mdn = 0.0f, mdnn = 0.0f;
        for (int k = 0; k < H; k++) {
          dy[k] = dh[k] * sslope(act, yb[k], hb[k]);
          f32 dn = dy[k] * j->lng[k];
          mdn += dn;
          mdnn += dn * gb[k];
        }
        mdn /= (f32)H;
        mdnn /= (f32)H;
        for (int k = 0; k < H; k++) dzb[k] = (dy[k] * j->lng[k] - mdn - gb[k] * mdnn) * rstd;
        break;
      }
      case ARCH_LSTM: {
        const f32 *cp = j->cs + ((long)t * B + b) * H;
        const f32 *tc = j->aux + ((long)t * B + b) * H;
        f32 *dc = j->dc + b * H;
        int k = 0;
        for (; k + 4 <= H; k += 4) {
          V i = LD(gb + k), f = LD(gb + H + k), gg = LD(gb + 2 * H + k), o = LD(gb + 3 * H + k), tcv = LD(tc + k), dhv = LD(dh + k);
          V dct = ADD(LD(dc + k), MUL(MUL(dhv, o), SUB(SPLAT(1.0f), MUL(tcv, tcv))));
          ST(dzb + k, MUL(MUL(dct, gg), vslope(ract, LD(zb + k), i)));
          ST(dzb + H + k, MUL(MUL(dct, LD(cp + k)), vslope(ract, LD(zb + H + k), f)));
          ST(dzb + 2 * H + k, MUL(MUL(dct, i), SUB(SPLAT(1.0f), MUL(gg, gg))));
          ST(dzb + 3 * H + k, MUL(MUL(dhv, tcv), vslope(ract, LD(zb + 3 * H + k), o)));
          ST(dc + k, MUL(dct, f));
        }
        for (; k < H; k++) {
          f32 i = gb[k], f = gb[H + k], gg = gb[2 * H + k], o = gb[3 * H + k];
          f32 dct = dc[k] + dh[k] * o * (1.0f - tc[k] * tc[k]);
          dzb[k] = dct * gg * sslope(ract, zb[k], i);
          dzb[H + k] = dct * cp[k] * sslope(ract, zb[H + k], f);
          dzb[2 * H + k] = dct * i * (1.0f - gg * gg);
          dzb[3 * H + k] = dh[k] * tc[k] * sslope(ract, zb[3 * H + k], o);
          dc[k] = dct * f;
        }
        break;
      }
      case ARCH_GRU: {
        const f32 *ub = j->u + ((long)t * B + b) * GH;
        const f32 *hp = j->hs + ((long)t * B + b) * H;
        f32 *dab = j->da + ((long)t * B + b) * GH;
        f32 *direct = j->dtmp + b * H;
        int k = 0;
        for (; k + 4 <= H; k += 4) {
          V r = LD(gb + k), zu = LD(gb + H + k), n = LD(gb + 2 * H + k), dhv = LD(dh + k);
          V dzn = MUL(MUL(dhv, SUB(SPLAT(1.0f), zu)), SUB(SPLAT(1.0f), MUL(n, n)));
          V dzr = MUL(MUL(dzn, LD(ub + 2 * H + k)), vslope(ract, LD(zb + k), r));
          V dzz = MUL(MUL(dhv, SUB(LD(hp + k), n)), vslope(ract, LD(zb + H + k), zu));
          ST(dzb + k, dzr); ST(dab + k, dzr);
          ST(dzb + H + k, dzz); ST(dab + H + k, dzz);
          ST(dzb + 2 * H + k, MUL(dzn, r)); ST(dab + 2 * H + k, dzn);
          ST(direct + k, MUL(dhv, zu));
        }
        for (; k < H; k++) {
          f32 r = gb[k], zu = gb[H + k], n = gb[2 * H + k];
          f32 dzn = dh[k] * (1.0f - zu) * (1.0f - n * n);
          f32 dzr = dzn * ub[2 * H + k] * sslope(ract, zb[k], r);
          f32 dzz = dh[k] * (hp[k] - n) * sslope(ract, zb[H + k], zu);
          dzb[k] = dab[k] = dzr;
          dzb[H + k] = dab[H + k] = dzz;
          dzb[2 * H + k] = dzn * r;
          dab[2 * H + k] = dzn;
          direct[k] = dh[k] * zu;
        }
        break;
      }
    }
  }
}

__attribute__((noinline)) static void cell_backward(Job *j, int t) {
  if (j->act == ACT_TANH && j->ract == ACT_SIGMOID) cell_backward_k(j, t, ACT_TANH, ACT_SIGMOID);
  else if (j->act == ACT_RELU && j->ract == ACT_SIGMOID) cell_backward_k(j, t, ACT_RELU, ACT_SIGMOID);
  else cell_backward_k(j, t, j->act, j->ract);
}

/*
 * From dh (∂L/∂h_{T−1}) back to t = 0: per step ∂L/∂u_t (and ∂L/∂a_t) into dz (da), ∂L/∂s_t into
 * dstate when given; leaves W_hhᵀ in whhT.
 */
static void through_time(Job *j) {
  const int B = j->B, T = j->T, H = j->H, G = gates(j->arch), GH = G * H;
  const int S = j->arch == ARCH_LSTM ? 2 * H : H;
  if (j->arch == ARCH_LSTM) for (int i = 0; i < B * H; i++) j->dc[i] = 0.0f;
  transpose(j->whh, H, GH, j->whhT);
  for (int t = T - 1; t >= 0; t--) {
    if (j->dstate) {
      for (int b = 0; b < B; b++) {
        f32 *ds = j->dstate + ((long)t * B + b) * S;
        for (int k = 0; k < H; k++) ds[k] = j->dh[b * H + k];
        if (j->arch == ARCH_LSTM) for (int k = 0; k < H; k++) ds[H + k] = j->dc[b * H + k];
      }
    }
    if (j->arch == ARCH_GRU_RESET_BEFORE) {
      gru_reset_before_backward(j, t);
      continue;
    }
    cell_backward(j, t);
    if (t > 0) {
      /* ∂L/∂h_{t−1} = δu_t·W_hhᵀ (+ the GRU's direct z·dh). */
      if (j->arch == ARCH_GRU) {
        for (int i = 0; i < B * H; i++) j->dh[i] = j->dtmp[i];
        vg_gemm(B, H, GH, j->dz + (long)t * B * GH, GH, 1, j->whhT, H, j->dh, H, 1);
      } else {
        vg_gemm(B, H, GH, j->dz + (long)t * B * GH, GH, 1, j->whhT, H, j->dh, H, 0);
      }
    }
  }
}

/*
 * Loss (MSE over the batch and outputs) of the last vg_forward (which must have run with keep)
 * and every gradient by backpropagation through time. Returns the loss.
 */
__attribute__((export_name("vg_backward")))
f32 vg_backward(Job *j) {
  const int B = j->B, T = j->T, D = j->D, H = j->H, O = j->O, G = gates(j->arch), GH = G * H;
  f32 loss = 0.0f;
  for (int i = 0; i < B * O; i++) {
    f32 d = j->out[i] - j->y[i];
    loss += d * d;
    j->dout[i] = d * (2.0f / (f32)(B * O));
  }
  loss /= (f32)(B * O);
  const f32 *hl = j->hs + (long)T * B * H;
  vg_gemm(H, O, B, hl, 1, H, j->dout, O, j->gwout, O, 0);
  colsum(j->dout, B, O, j->gbout);
  /* dh = dOut·W_outᵀ */
  for (int b = 0; b < B; b++)
    for (int k = 0; k < H; k++) {
      f32 s = 0.0f;
      for (int o = 0; o < O; o++) s += j->dout[b * O + o] * j->wout[k * O + o];
      j->dh[b * H + k] = s;
    }
  through_time(j);
  const int TB = T * B;  const f32 *da = j->arch == ARCH_GRU ? j->da : j->dz;
  /* Σ over T·B rows in chunks, so that a chunk of δu stays in cache while every row block of the product reads it. */
  for (int r = 0; r < TB; r += ROW_CHUNK) {
    const int n = TB - r < ROW_CHUNK ? TB - r : ROW_CHUNK;
    vg_gemm(H, GH, n, j->hs + (long)r * H, 1, H, j->dz + (long)r * GH, GH, j->gwhh, GH, r > 0);
    vg_gemm(D, GH, n, j->xt + (long)r * D, 1, D, da + (long)r * GH, GH, j->gwih, GH, r > 0);
  }
  if (j->arch == ARCH_GRU_RESET_BEFORE) {
    /* U_n's gradient is Σ (r·h)ᵀ·δz_n, not h_{t−1}ᵀ·δz_n: recompute those columns. */
    for (int r = 0; r < TB; r += ROW_CHUNK) {
      const int n = TB - r < ROW_CHUNK ? TB - r : ROW_CHUNK;
      vg_gemm(H, H, n, j->aux + (long)r * H, 1, H, j->dz + (long)r * GH + 2 * H, GH, j->gwhh + 2 * H, GH, r > 0);
    }
  }
  colsum(da, TB, GH, j->gbih);
  if (j->gbhh) colsum(j->dz, TB, GH, j->gbhh);
  if (j->arch == ARCH_RESIDUAL) {
    /* The projection p_t is added to h_t: its gradients are those of h_t, ∂L/∂s_t (kept in dstate). */
    vg_gemm(D, H, TB, j->xt, 1, D, j->dstate, H, j->gwproj, H, 0);
    colsum(j->dstate, TB, H, j->gbproj);
  }
  if (j->arch == ARCH_LAYERNORM) {
    /* gain: Σ dy·n; bias: Σ dy. */
    for (int k = 0; k < H; k++) { j->glng[k] = 0.0f; }
    for (int r = 0; r < TB; r++)
      for (int k = 0; k < H; k++) j->glng[k] += j->lnsum[(long)r * H + k] * j->acts[(long)r * H + k];
    colsum(j->lnsum, TB, H, j->glnb);
  }
  return loss;
}

/*
 * The temporal gradient profile of L = Σ_k h_{T−1,k} (src/probes/gradient-profile.ts): after a
 * vg_forward with keep, writes ∂L/∂s_t into dstate [T, B, S] and ∂L/∂x_t into gx [T, B, D],
 * through the same backward steps as vg_backward (no readout, no weight gradients).
 */
__attribute__((export_name("vg_profile")))
void vg_profile(Job *j) {
  const int B = j->B, T = j->T, D = j->D, H = j->H, G = gates(j->arch), GH = G * H, TB = T * B;
  for (int i = 0; i < B * H; i++) j->dh[i] = 1.0f;
  through_time(j);
  /* ∂L/∂x_t = ∂L/∂a_t·W_ihᵀ (+ ∂L/∂h_t·W_projᵀ through the residual projection), all steps in one product. */
  transpose(j->wih, D, GH, j->whhT);
  vg_gemm(TB, D, GH, j->arch == ARCH_GRU ? j->da : j->dz, GH, 1, j->whhT, D, j->gx, D, 0);
  if (j->arch == ARCH_RESIDUAL) {
    transpose(j->wproj, D, H, j->whhT);
    vg_gemm(TB, D, H, j->dstate, H, 1, j->whhT, D, j->gx, D, 1);
  }
}
