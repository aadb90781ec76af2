import { verifySection } from './verify-section.js';

verifySection('Bounding the Gradient Norm');
