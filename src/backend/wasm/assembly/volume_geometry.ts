// The geometry block the backend writes for the 3-D convolution and pooling kernels
// (conv3d.ts, pool3d.ts): 21 i32 words at `g`, in Conv3DInfo's order, read with gi(g, WORD).
// For pooling OUT_C equals IN_C.
export const V_BATCH = 0, V_IN_D = 1, V_IN_H = 2, V_IN_W = 3, V_IN_C = 4, V_OUT_D = 5, V_OUT_H = 6, V_OUT_W = 7;
export const V_OUT_C = 8, V_FD = 9, V_FH = 10, V_FW = 11, V_SD = 12, V_SH = 13, V_SW = 14;
export const V_DD = 15, V_DH = 16, V_DW = 17, V_PAD_F = 18, V_PAD_T = 19, V_PAD_L = 20;
