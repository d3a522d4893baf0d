import { describe, expect, it } from 'vitest'
import { maskName, maskPhone } from '../../shared/mask.js'

describe('personal data masking', () => {
  it('keeps the surname only', () => {
    expect(maskName('张三')).toBe('张*')
    expect(maskName('欧阳娜娜')).toBe('欧***')
    expect(maskName('王先生')).toBe('王**')
    expect(maskName('李')).toBe('李*')
  })

  it('keeps the first three and last four digits of a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone('028-8765 4321')).toBe('028****4321')
    expect(maskPhone('12345')).toBe('*****')
  })
})
