export { learningCurves, type LearningCurvesArgs } from './curves.js';
export { confusionMatrix, type ConfusionMatrixArgs } from './confusion.js';
