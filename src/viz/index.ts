export { learningCurves, type LearningCurvesArgs } from './curves.js';
export { confusionMatrix, type ConfusionMatrixArgs } from './confusion.js';
export { filters, filtersPng, type FiltersOptions, type KernelLayer } from './filters.js';
export { featureMaps, featureMapsPng, type FeatureMapsOptions } from './feature_maps.js';
export { activations, layerOutput, type LayerActivation } from './activations.js';
export { rasterToPng, type Raster, type Tile, type TileLayout } from './tiles.js';
export { decisionRegions, decisionRegionsGrid, hiddenUnitRegions, type Classifier, type PointSet, type DecisionRegionsOptions, type DecisionGridEntry } from './decision.js';
export { modelGraph, type ModelGraphOptions } from './model_graph.js';
export { hiddenCodes, hiddenCodesOf, hiddenCodesTable, type HiddenCodes } from './hidden_codes.js';
