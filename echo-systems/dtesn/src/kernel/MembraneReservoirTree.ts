import { dtesnError } from '../DtesnError.ts';
import { type Membrane, PSystem } from '../psystem/PSystem.ts';
import { parsePLingua } from '../psystem/parsePLingua.ts';
import { Esn, type EsnOptions } from '../reservoir/Esn.ts';
import { deriveSeed } from '../reservoir/gaussian.ts';
import { RidgeReadout } from '../reservoir/RidgeReadout.ts';
import { membraneLabel, membraneProgram } from './membraneRules.ts';
import { type MembraneTree, membraneTree } from './membraneTree.ts';

const BUFFER_ROWS = 8;

/** Options of one agent's membrane-reservoir tree. */
export interface MembraneReservoirTreeOptions {
  /** Length of the sensation vector. */
  sensorDim: number;
  /** Number of reflex actions (0 = no reflex head). Default 0. */
  numActions?: number;
  /** Number of membranes (a tree from A000081). Default 9. */
  membranes?: number;
  /** Which tree of that size (enumeration index); default the most balanced. */
  treeIndex?: number;
  /** Reservoir units per membrane. Default 100. */
  units?: number;
  /** Reservoir hyper-parameters shared by every membrane. */
  reservoir?: Omit<EsnOptions, 'units' | 'inputDim' | 'seed'>;
  /** Scale of the children's states in a parent's input. Default 0.5. */
  childScaling?: number;
  /** Ridge of both readouts. Default 1e-4. */
  ridge?: number;
  /** Refit the readouts every this many learned ticks (0 = only on `fit()`). Default 250 (a solve costs ~(N·membranes)³/3 flops). */
  refitEvery?: number;
  /** Sensory quanta injected per leaf per unit of (mean |sensation| + surprise). Default 4. */
  quantaGain?: number;
  /** Extra P-Lingua rules for the membrane program. */
  extraRules?: string;
  seed?: number;
}

/** What one tick produced. */
export interface TreeTick {
  /** Mean squared error of the previous prediction against this sensation (0 on the first tick). */
  surprise: number;
  /** Predicted next sensation (persistence until the readout is fitted). */
  prediction: Float64Array;
  /** Reflex action scores (empty without a reflex head or before it is fitted). */
  actionScores: Float64Array;
  /** Activation objects per membrane after the P-system step. */
  activation: number[];
}

/**
 * One agent's DTESN: a rooted tree of membranes (A000081 layout), each holding
 * an echo-state reservoir with an independent seed. Leaves read the sensation,
 * every parent reads the sensation and its children's fresh states (updated
 * leaves-first). A P system over the same tree moves sensory quanta and
 * activation between membranes each tick; a membrane's activation raises its
 * input gain (1 + log2(1 + a)/4). Ridge readouts over all states predict the
 * next sensation and score reflex actions; they learn online.
 *
 * @example
 * ```ts
 * const tree = new MembraneReservoirTree({ sensorDim: 4, numActions: 3, seed: 1 });
 * const { surprise, prediction } = tree.tick(Float64Array.of(0, 1, 0, 0));
 * ```
 */
export class MembraneReservoirTree {
  readonly layout: MembraneTree;
  readonly reservoirs: Esn[];
  readonly psystem: PSystem;
  readonly sensorDim: number;
  readonly numActions: number;
  /** Concatenated states of every membrane (the readouts' features). */
  readonly features: Float64Array;
  readonly predictor: RidgeReadout;
  readonly reflex: RidgeReadout | null;
  /** Statistics of rows that came with an action: outputs [sensation, one-hot action]. */
  private readonly joint: RidgeReadout | null;
  private readonly inputs: Float64Array[];
  private readonly offsets: number[];
  private readonly leafMembranes: Membrane[];
  private readonly membraneById: Membrane[];
  private readonly childScaling: number;
  private readonly quantaGain: number;
  private readonly refitEvery: number;
  private readonly prevFeatures: Float64Array;
  private readonly prediction: Float64Array;
  private readonly actionScores: Float64Array;
  // Rows waiting to be accumulated: ZᵀZ is updated 8 rows at a time (one pass over the matrix).
  private readonly rowBuf: Float64Array;
  private readonly sensBuf: Float64Array;
  private readonly actBuf: Float64Array;
  private numBuffered = 0;
  private numActBuffered = 0;
  private readonly actRowBuf: Float64Array;
  private hasPrev = false;
  private learnedTicks = 0;
  private numTicks = 0;

  constructor(options: MembraneReservoirTreeOptions) {
    const { sensorDim, numActions = 0, units = 100, seed = 0 } = options;
    if (!Number.isInteger(sensorDim) || sensorDim <= 0 || !Number.isInteger(numActions) || numActions < 0) {
      throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'MembraneReservoirTree', 'sensorDim > 0 and numActions >= 0');
    }
    this.sensorDim = sensorDim;
    this.numActions = numActions;
    this.childScaling = options.childScaling ?? 0.5;
    this.quantaGain = options.quantaGain ?? 4;
    this.refitEvery = options.refitEvery ?? 250;
    this.layout = membraneTree(options.membranes ?? 9, options.treeIndex);
    const { children } = this.layout;
    this.reservoirs = children.map(
      (kids, i) =>
        new Esn({
          spectralRadius: 0.9,
          leakRate: 0.5,
          inputConnectivity: 0.2,
          ...options.reservoir,
          units,
          inputDim: sensorDim + kids.length * units,
          seed: deriveSeed(seed, i),
        }),
    );
    this.inputs = this.reservoirs.map((e) => new Float64Array(e.inputDim));
    this.offsets = [];
    let total = 0;
    for (const e of this.reservoirs) {
      this.offsets.push(total);
      total += e.units;
    }
    this.features = new Float64Array(total);
    this.prevFeatures = new Float64Array(total);
    const ridge = options.ridge ?? 1e-4;
    this.predictor = new RidgeReadout(total, sensorDim, ridge);
    this.reflex = numActions > 0 ? new RidgeReadout(total, numActions, ridge) : null;
    this.joint = numActions > 0 ? new RidgeReadout(total, sensorDim + numActions, ridge) : null;
    this.prediction = new Float64Array(sensorDim);
    this.actionScores = new Float64Array(numActions);
    this.rowBuf = new Float64Array(BUFFER_ROWS * total);
    this.actRowBuf = new Float64Array(BUFFER_ROWS * total);
    this.sensBuf = new Float64Array(BUFFER_ROWS * sensorDim);
    this.actBuf = new Float64Array(BUFFER_ROWS * (sensorDim + numActions));
    this.psystem = new PSystem(
      parsePLingua(membraneProgram(this.layout, options.extraRules)),
      deriveSeed(seed, 1 << 20),
    );
    const byLabel = new Map(this.psystem.membranes().map((m) => [m.label, m]));
    this.membraneById = children.map((_, i) => byLabel.get(membraneLabel(i))!);
    this.leafMembranes = this.membraneById.filter((_, i) => children[i]!.length === 0);
  }

  /** Ticks taken. */
  get ticks(): number {
    return this.numTicks;
  }

  /**
   * One tick: surprise against the last prediction, one P-system step, the
   * reservoirs leaves-first, then the readouts. With `learn`, the previous
   * features are paired with this sensation (and with `lastAction`, the action
   * the agent took after the previous tick) for the online readouts.
   */
  tick(sensation: ArrayLike<number>, options: { learn?: boolean; lastAction?: number } = {}): TreeTick {
    const d = this.sensorDim;
    if (sensation.length !== d) {
      throw dtesnError('DTE_ERR_DTESN_SHAPE_MISMATCH', 'MembraneReservoirTree.tick', d, sensation.length);
    }
    let surprise = 0;
    let magnitude = 0;
    for (let j = 0; j < d; j++) {
      const v = sensation[j]!;
      if (!Number.isFinite(v)) {
        throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'MembraneReservoirTree.tick', 'sensation must be finite');
      }
      magnitude += Math.abs(v);
      if (this.hasPrev) surprise += (v - this.prediction[j]!) ** 2;
    }
    surprise /= d;
    if (options.learn !== false && this.hasPrev) this.learn(sensation, options.lastAction);
    // P system: quanta into the leaves, one maximally parallel step.
    const quanta = Math.min(1000, Math.round(this.quantaGain * (magnitude / d + surprise)));
    if (quanta > 0) for (const m of this.leafMembranes) m.objects.set('s', (m.objects.get('s') ?? 0) + quanta);
    this.psystem.step();
    const activation = this.membraneById.map((m) => m.objects.get('a') ?? 0);
    // Reservoirs, children before parents.
    for (const i of this.layout.postorder) {
      const esn = this.reservoirs[i]!;
      const input = this.inputs[i]!;
      const gain = 1 + Math.log2(1 + activation[i]!) / 4;
      for (let j = 0; j < d; j++) input[j] = sensation[j]! * gain;
      let pos = d;
      for (const c of this.layout.children[i]!) {
        const xc = this.reservoirs[c]!.state;
        for (let k = 0; k < xc.length; k++) input[pos + k] = xc[k]! * this.childScaling;
        pos += xc.length;
      }
      this.features.set(esn.step(input), this.offsets[i]);
    }
    // Readouts.
    if (this.predictor.weights !== null) this.predictor.predict(this.features, 0, this.prediction);
    else for (let j = 0; j < d; j++) this.prediction[j] = sensation[j]!;
    if (this.reflex?.weights) this.reflex.predict(this.features, 0, this.actionScores);
    this.prevFeatures.set(this.features);
    this.hasPrev = true;
    this.numTicks++;
    return {
      surprise,
      prediction: this.prediction,
      actionScores: this.reflex?.weights ? this.actionScores : new Float64Array(0),
      activation,
    };
  }

  private learn(sensation: ArrayLike<number>, lastAction: number | undefined): void {
    const total = this.features.length;
    const d = this.sensorDim;
    if (this.joint !== null && lastAction !== undefined) {
      if (!Number.isInteger(lastAction) || lastAction < 0 || lastAction >= this.numActions) {
        throw dtesnError('DTE_ERR_DTESN_BAD_ARGUMENT', 'MembraneReservoirTree.tick', `lastAction out of range`);
      }
      // One row for both heads: [sensation, one-hot action] share a single ZᵀZ.
      const width = d + this.numActions;
      this.actRowBuf.set(this.prevFeatures, this.numActBuffered * total);
      const row = this.actBuf.subarray(this.numActBuffered * width, (this.numActBuffered + 1) * width);
      row.fill(0);
      for (let j = 0; j < d; j++) row[j] = sensation[j]!;
      row[d + lastAction] = 1;
      this.numActBuffered++;
    } else {
      this.rowBuf.set(this.prevFeatures, this.numBuffered * total);
      this.sensBuf.set(Float64Array.from(sensation), this.numBuffered * d);
      this.numBuffered++;
    }
    if (this.numBuffered === BUFFER_ROWS || this.numActBuffered === BUFFER_ROWS) this.flush();
    this.learnedTicks++;
    if (this.refitEvery > 0 && this.learnedTicks % this.refitEvery === 0) this.fit();
  }

  private flush(): void {
    const total = this.features.length;
    if (this.numBuffered > 0) {
      this.predictor.partialFit(
        this.rowBuf.subarray(0, this.numBuffered * total),
        this.sensBuf.subarray(0, this.numBuffered * this.sensorDim),
      );
      this.numBuffered = 0;
    }
    if (this.joint !== null && this.numActBuffered > 0) {
      this.joint.partialFit(
        this.actRowBuf.subarray(0, this.numActBuffered * total),
        this.actBuf.subarray(0, this.numActBuffered * (this.sensorDim + this.numActions)),
      );
      this.numActBuffered = 0;
    }
  }

  /**
   * Refits the readouts from everything learned so far. Rows that came with an
   * action trained both heads through one shared ZᵀZ; when every row did, one
   * factorisation serves both.
   */
  fit(): void {
    this.flush();
    const d = this.sensorDim;
    const joint = this.joint;
    if (joint === null || joint.rows === 0) {
      if (this.predictor.rows > 0) this.predictor.fit();
      return;
    }
    joint.fit();
    const width = d + this.numActions;
    const jw = joint.weights!;
    const take = (from: number, count: number): Float64Array => {
      const out = new Float64Array((this.features.length + 1) * count);
      for (let i = 0; i < this.features.length + 1; i++) {
        for (let c = 0; c < count; c++) out[i * count + c] = jw[i * width + from + c]!;
      }
      return out;
    };
    this.reflex!.weights = take(d, this.numActions);
    if (this.predictor.rows === 0) this.predictor.weights = take(0, d);
    else {
      const sensorCols = Array.from({ length: d }, (_, j) => j);
      this.predictor.weights = RidgeReadout.solveSummed([
        { readout: this.predictor, columns: sensorCols },
        { readout: joint, columns: sensorCols },
      ]);
    }
  }
}
