import { verifySection } from './verify-section.js';

verifySection('Eigenvalue Perspective');
