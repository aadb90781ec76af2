import { verifySection } from './verify-section.js';

verifySection('Why γ < 1 Is the Common Case');
